package io.ibllm.bind;

import io.ibllm.io.FormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images a cache is built from: every image file under a folder (recursive, sorted, named
 * by their path relative to the folder with '/' separators), or the lines of a list file (one
 * path per line, relative to the list's folder unless absolute; blank lines and lines starting
 * with '#' are ignored). The name is what {@code OUT.images.txt} records for each row.
 */
public final class CacheImages {
    /** Extensions the image loader decodes (PNG, JPEG, BMP, GIF, TIFF). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    /** One image: its name (the row label) and file. */
    public record Image(String name, Path file) {}

    private CacheImages() {}

    /** The images of a folder or a list file, in order, each name once. */
    public static List<Image> of(Path source) {
        List<Image> all = Files.isDirectory(source) ? folder(source) : list(source);
        Map<String, Image> unique = new LinkedHashMap<>();
        for (Image im : all) unique.putIfAbsent(im.name(), im);
        if (unique.isEmpty()) throw new FormatException(source, "no images found (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");
        return new ArrayList<>(unique.values());
    }

    private static List<Image> folder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.contains(extension(p)))
                    .map(p -> new Image(dir.relativize(p).toString().replace('\\', '/'), p))
                    .filter(im -> im.name().indexOf('\n') < 0 && im.name().indexOf('\r') < 0)
                    .sorted((a, b) -> a.name().compareTo(b.name()))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new FormatException(dir, "cannot list the folder: " + e.getMessage());
        }
    }

    private static List<Image> list(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FormatException(file, "no such file or folder");
        } catch (IOException e) {
            throw new FormatException(file, "cannot read the image list: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        List<Image> out = new ArrayList<>();
        for (String line : lines) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            out.add(new Image(name, base.resolve(name)));
        }
        return out;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
