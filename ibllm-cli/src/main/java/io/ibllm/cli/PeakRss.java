package io.ibllm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident set (VmHWM of /proc/PID/status, Linux), as every command reports it. */
final class PeakRss {
    private PeakRss() {}

    /** This process's peak RSS in bytes, -1 where /proc is missing. */
    static long self() { return of(Path.of("/proc/self/status")); }

    /** The peak RSS in bytes that a /proc status file reports, -1 if it is gone or not Linux. */
    static long of(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
