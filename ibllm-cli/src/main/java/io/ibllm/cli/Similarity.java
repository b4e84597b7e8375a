package io.ibllm.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints the cosine-similarity matrix of embedding rows with their names. */
final class Similarity {
    private Similarity() {}

    /** cos(i, j) of rows [n, dim]. */
    static double[][] cosine(float[] rows, int dim) {
        int n = rows.length / dim;
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < dim; k++) s += (double) rows[i * dim + k] * rows[i * dim + k];
            norm[i] = Math.max(Math.sqrt(s), 1e-12);
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) s += (double) rows[i * dim + k] * rows[j * dim + k];
                c[i][j] = s / (norm[i] * norm[j]);
            }
        }
        return c;
    }

    static void print(PrintWriter out, List<String> names, float[] rows, int dim) {
        double[][] c = cosine(rows, dim);
        out.println("cosine similarity:");
        for (int i = 0; i < names.size(); i++) out.printf("  [%d] %s%n", i, names.get(i));
        out.print("     ");
        for (int j = 0; j < names.size(); j++) out.printf(" %8s", "[" + j + "]");
        out.println();
        for (int i = 0; i < names.size(); i++) {
            out.printf("%5s", "[" + i + "]");
            for (int j = 0; j < names.size(); j++) out.printf(" %8.4f", c[i][j]);
            out.println();
        }
        out.flush();
    }
}
