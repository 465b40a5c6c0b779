package org.gequiv.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Expansion of a sweep spec and the stability of point ids. */
class SweepSpecTest {

    @Test
    void gridIsTheProductWithTheFirstKeySlowestThenExplicitPoints() {
        SweepSpec s = SweepSpec.parse("""
                command = "erm"
                [options]
                N = 100
                [grid]
                lambda = [0.1, 1]
                seeds = 3
                [[points]]
                lambda = 5
                seed = 9
                """, "t.toml");
        List<SweepPoint> p = s.points();
        assertEquals(7, p.size());
        assertEquals(Map.of("N", "100", "lambda", "0.1", "seed", "0"), p.get(0).parameters());
        assertEquals(Map.of("N", "100", "lambda", "0.1", "seed", "2"), p.get(2).parameters());
        assertEquals(Map.of("N", "100", "lambda", "1", "seed", "0"), p.get(3).parameters());
        assertEquals(Map.of("N", "100", "lambda", "5", "seed", "9"), p.get(6).parameters());
        assertEquals(List.of("lambda", "seed"), s.varyingKeys());
        assertTrue(p.get(0).id().matches("0001-[0-9a-f]{10}"), p.get(0).id());
    }

    @Test
    void idsDependOnTheParametersOnlyInCanonicalForm() {
        SweepSpec a = SweepSpec.parse("command = \"erm\"\n[options]\nN = 100\nD = 50\n[grid]\nlambda = [0.1, 1]\n", "a");
        SweepSpec b = SweepSpec.parse("# comment\ncommand = \"erm\"\n[options]\nD = 50.0\nN = 1e2\n[grid]\n"
                + "lambda = [0.1, 1.0]\n", "b");
        SweepSpec c = SweepSpec.parse("command = \"erm\"\n[options]\nN = 100\nD = 51\n[grid]\nlambda = [0.1, 1]\n", "c");
        assertEquals(a.points().get(1).id(), b.points().get(1).id());
        assertEquals(a.identity(), b.identity());
        assertNotEquals(a.points().get(1).id().substring(5), c.points().get(1).id().substring(5));
        assertNotEquals(a.identity(), c.identity());
        // the hash is SHA-256 of the documented canonical text: a fixed value, so ids survive releases
        assertEquals(SweepPoint.sha256("command=erm\nD=50\nN=100\nlambda=1\n").substring(0, SweepPoint.HASH_HEX),
                a.points().get(1).id().substring(5));
        assertEquals("0.001", SweepSpec.canonical(1e-3));
        assertEquals("1.0E-4", SweepSpec.canonical(1e-4));
        assertEquals("3", SweepSpec.canonical(3.0));
    }

    @Test
    void ambiguousSpecsAreRefused() {
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.parse(
                "command = \"erm\"\n[options]\nN = 1\n[grid]\nN = [1, 2]\n", "t")).getMessage()
                .contains("grid key 'N' (line 5) is also a fixed option (line 3)"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.parse(
                "command = \"erm\"\n[grid]\nseed = [1]\nseeds = 2\n", "t")).getMessage()
                .contains("grid.seeds (line 4) must not go with grid.seed"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.parse(
                "command = \"erm\"\n[grid]\nlambda = 0.1\n", "t")).getMessage()
                .contains("grid.lambda (line 3) must be a list of values, got 0.1"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.parse(
                "command = \"erm\"\n[grid]\nlambda = [1]\n[[points]]\nlambda = 1\n", "t")).getMessage()
                .contains("point 2 must differ from every other point, got the same parameters as point 1"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.parse(
                "command = \"erm\"\nworkers = 2\n[grid]\nlambda = [1]\n", "t")).getMessage()
                .contains("unknown top-level key 'workers' (line 2)"));
    }
}
