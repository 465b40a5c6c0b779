package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 13 items 10 and 12: every --help lists the exit codes, and its line wrapping never splits a
 * name (a file name such as docs/theory.md at its dot, a hyphenated option or word at its hyphen).
 */
class HelpTextTest {

    private static final List<String> COMMANDS = List.of("", "online", "erm", "check", "moments", "samples");
    /** A line ending inside a name: a word then '.' or '-' or '/' glued to the next line's first word. */
    private static final Pattern SPLIT_END = Pattern.compile("(?:[A-Za-z0-9][.\\-/]|[.\\-/][A-Za-z])$");

    private static String help(String command) {
        CliRun r = command.isEmpty() ? CliRun.run("--help") : CliRun.run(command, "--help");
        assertEquals(0, r.exit(), r.err());
        return r.out();
    }

    @Test
    void everyHelpListsEveryExitCode() {
        for (String c : COMMANDS) {
            String h = help(c);
            assertTrue(h.contains("Exit codes:"), c + ": " + h);
            for (Map.Entry<String, String> e : Main.EXIT_CODES.entrySet()) {
                assertTrue(Pattern.compile("(?m)^  " + e.getKey() + " +" + Pattern.quote(e.getValue().split(" ")[0]))
                        .matcher(h).find(), c + " lacks exit code " + e.getKey());
            }
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "130", "143"), new ArrayList<>(Main.EXIT_CODES.keySet()));
    }

    @Test
    void helpCommandAndHelpOptionAgree() {
        // only the command being run is registered (Main.commandLine); 'help CMD' needs them all
        for (String c : COMMANDS.subList(1, COMMANDS.size())) {
            CliRun r = CliRun.run("help", c);
            assertEquals(0, r.exit(), r.err());
            assertEquals(help(c), r.out(), "gequiv help " + c);
        }
        assertTrue(help("").contains("  sweep ") && help("").contains("  paper "), "every command listed");
    }

    @Test
    void noNameIsSplitByLineWrapping() {
        for (String c : COMMANDS) {
            String[] lines = help(c).split("\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                String a = lines[i].stripTrailing();
                String b = lines[i + 1].strip();
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                // the next line starts a new option or command row: nothing is continued
                boolean newRow = b.startsWith("-") || lines[i + 1].startsWith("  ") && !lines[i + 1].startsWith("   ");
                String last = a.substring(a.lastIndexOf(' ') + 1);
                boolean sentenceEnd = last.endsWith(".") && !Character.isLowerCase(b.charAt(0));
                assertTrue(newRow || sentenceEnd || !SPLIT_END.matcher(last).find(),
                        "'gequiv " + c + " --help' splits '" + last + "|" + b.split(" ")[0] + "' at line " + (i + 1));
            }
        }
    }

    @Test
    void helpSaysWhatOptionsNeedAndWhenTheyApply() {
        String erm = help("erm").replaceAll("\\s+", " ");
        assertTrue(erm.contains("--spectra=FILE.npz Theory from a spectra file") && erm.contains(
                "needs --no-simulate"), erm);
        assertEquals(2, erm.split("needs --no-simulate", -1).length - 1, "both --spectra and --covariances say so");
        String check = help("check").replaceAll("\\s+", " ");
        assertTrue(check.contains("-N=<inputDim> Input dimension N of a generator family measured at its own size"),
                check);
        assertTrue(!check.contains("-N unused"), check);
    }
}
