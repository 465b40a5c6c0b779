package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Covariances from files are checked on every path into the library (docs/theory.md §2.1, §5.1, §6.2):
 * a non-symmetric, an indefinite or a non-finite Ω (and Ψ, and the ρ of an initial state) exits
 * with 2 and a message naming the file, the key and the entry or the eigenvalue.
 */
class CovarianceInputTest {

    private static final int N = 12;
    private static final int D = 4;

    @TempDir
    Path tmp;

    /** A covariance of size n with eigenvalues 0.5 and above, then damaged as {@code kind} says. */
    private static double[] matrix(int n, String kind) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (i == j ? 1.0 : 0.0) + 0.5 / (1 + Math.abs(i - j));
            }
        }
        switch (kind) {
            case "asymmetric" -> a[(n - 1) * n + 1] += 0.2;
            case "indefinite" -> {
                for (int i = 0; i < n; i++) {
                    a[i * n + i] -= 3.0;
                }
            }
            case "nan" -> a[1 * n + (n - 1)] = Double.NaN;
            default -> {
            }
        }
        return a;
    }

    /** What the message must say about the damage of {@code kind} to an n × n matrix. */
    private static String expected(String kind, int n) {
        return switch (kind) {
            case "asymmetric" -> "must be symmetric (|a_ij − a_ji| <= 1.0E-6·max|a|";
            case "indefinite" -> "must be positive semi-definite (eigenvalues >= -1.0E-8·max|eigenvalue|";
            default -> "must be finite, got NaN at entry (1, " + (n - 1) + ") of " + n + " × " + n;
        };
    }

    private Path momentsFile(String kind) throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("mean_x", NpyArray.vector(new double[N]));
        m.put("omega", new NpyArray(new int[] {N, N}, matrix(N, kind)));
        m.put("phi", new NpyArray(new int[] {N, D}, new double[N * D]));
        Path f = tmp.resolve("moments-" + kind + ".npz");
        NpzArchive.write(f, m, false);
        return f;
    }

    private static void assertRefused(CliRun r, String... parts) {
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        for (String part : parts) {
            assertTrue(r.err().contains(part), "expected '" + part + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @ParameterizedTest
    @CsvSource({"online, asymmetric", "online, indefinite", "online, nan",
        "erm, asymmetric", "erm, indefinite", "erm, nan"})
    void momentsFile(String command, String kind) throws Exception {
        Path f = momentsFile(kind);
        String[] args = command.equals("online")
                ? new String[] {"online", "-N", "" + N, "-D", "" + D, "--moments", f.toString(), "--time", "0.5",
                    "--out", tmp.resolve("out").toString()}
                : new String[] {"erm", "-N", "" + N, "-D", "" + D, "--moments", f.toString(), "--alpha", "1",
                    "--lambda", "0.1", "--no-simulate", "--out", tmp.resolve("out").toString()};
        CliRun r = CliRun.run(args);
        assertRefused(r, "--moments: " + f + ":omega " + expected(kind, N));
        if (kind.equals("asymmetric")) {
            assertTrue(r.err().contains("at (i, j) = (" + (N - 1) + ", 1)"), r.err());
        }
        if (kind.equals("indefinite")) {
            assertTrue(r.err().contains("got eigenvalue -"), r.err());
        }
    }

    @ParameterizedTest
    @CsvSource({"omega, asymmetric", "omega, indefinite", "omega, nan", "psi, asymmetric", "psi, indefinite", "psi, nan"})
    void covariancesFile(String key, String kind) throws Exception {
        int d = 5;
        int p = 3;
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", new NpyArray(new int[] {d, d}, matrix(d, key.equals("omega") ? kind : "")));
        m.put("phi", new NpyArray(new int[] {p, d}, new double[p * d]));
        m.put("psi", new NpyArray(new int[] {p, p}, matrix(p, key.equals("psi") ? kind : "")));
        m.put("theta", NpyArray.vector(new double[] {1, -0.5, 0.3}));
        Path f = tmp.resolve("covariances-" + key + "-" + kind + ".npz");
        NpzArchive.write(f, m, false);
        CliRun r = CliRun.run("erm", "--covariances", f.toString(), "--no-simulate", "--alpha", "1", "--lambda", "0.1",
                "--out", tmp.resolve("out").toString());
        int n = key.equals("omega") ? d : p;
        assertRefused(r, "--covariances: " + f + ":" + key + " " + expected(kind, n));
        if (kind.equals("asymmetric")) {
            assertTrue(r.err().contains("at (i, j) = (" + (n - 1) + ", 1)"), r.err());
        }
    }

    @ParameterizedTest
    @CsvSource({"-0.25, 'got eigenvalue -0.25 at index 1 of 3'", "NaN, 'must be finite, got NaN at index 1'"})
    void spectraFile(double bad, String message) throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, bad, 2}));
        m.put("t", NpyArray.vector(new double[] {1, 0, 1}));
        m.put("rho", NpyArray.scalar(10.0));
        m.put("gamma", NpyArray.scalar(1.0));
        Path f = tmp.resolve("spectra.npz");
        NpzArchive.write(f, m, false);
        CliRun r = CliRun.run("erm", "--spectra", f.toString(), "--no-simulate", "--alpha", "1", "--lambda", "0.1",
                "--out", tmp.resolve("out").toString());
        assertRefused(r, "--spectra: " + f + ":omega ", message);
    }

    @ParameterizedTest
    @CsvSource({"-0.5, 'must be positive semi-definite', 'got eigenvalue -0.5 at index 1 of 3'",
        "NaN, 'must be finite', 'got NaN at index 1'"})
    void initFile(double bad, String constraint, String found) throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("rho", NpyArray.vector(new double[] {1, bad, 2}));
        m.put("q", new NpyArray(new int[] {1, 1, 3}, new double[] {1, 1, 1}));
        m.put("r", new NpyArray(new int[] {1, 1, 3}, new double[] {0.1, 0.2, 0.3}));
        m.put("tildet", new NpyArray(new int[] {1, 1, 3}, new double[] {1, 1, 1}));
        m.put("T", new NpyArray(new int[] {1, 1}, new double[] {1}));
        m.put("A", NpyArray.vector(new double[] {1}));
        m.put("v", NpyArray.vector(new double[] {0.5}));
        m.put("delta", NpyArray.scalar(0.5));
        Path f = tmp.resolve("init.npz");
        NpzArchive.write(f, m, false);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("online", "--init", f.toString(), "--time", "1", "--out", out.toString());
        assertRefused(r, "--init: " + f + ":rho " + constraint, found);
        assertFalse(Files.exists(out.resolve("curve.csv")));
    }
}
