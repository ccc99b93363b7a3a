package io.fabrictelemetry.metrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run.sh} read as text, without starting anything: it must run with the bash 3.2 that macOS ships
 * (RunScriptIT runs it with whatever bash this machine has, usually 5), and the filter that shows the first
 * build's progress is fed a sample of Maven's output (RunScriptIT never builds).
 */
class RunScriptTextTests {

    private static final Path RUN_SH = Path.of("..", "run.sh").toAbsolutePath().normalize();

    /** What bash 4.0 and later added, as it appears in code; each with what to write instead. */
    private static final Map<String, Pattern> NEWER_THAN_BASH_32 = Map.ofEntries(
            Map.entry("wait -n/-f/-p (bash 4.3+): poll the pids with kill -0",
                    Pattern.compile("\\bwait(\\s+-[a-zA-Z]+)*\\s+-[a-zA-Z]*[nfp]")),
            Map.entry("associative arrays and namerefs (declare/local/typeset -A, -n: bash 4.0+, 4.3+)",
                    Pattern.compile("\\b(declare|local|typeset|readonly)(\\s+-[a-zA-Z]+)*\\s+-[a-zA-Z]*[An]")),
            Map.entry("case modification ${x,,} ${x^^} ${x,} ${x^} (bash 4.0+): use tr",
                    Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(\\[[^\\]]*\\])?(,|\\^)")),
            Map.entry("${x@Q}-style transformations (bash 4.4+)",
                    Pattern.compile("\\$\\{[^}]*@[QEPAaUuLKk]\\}")),
            Map.entry("negative array subscripts ${a[-1]} (bash 4.3+)",
                    Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*\\[\\s*-")),
            Map.entry("mapfile/readarray (bash 4.0+): use a while read loop",
                    Pattern.compile("\\b(mapfile|readarray)\\b")),
            Map.entry("coproc (bash 4.0+)", Pattern.compile("\\bcoproc\\b")),
            Map.entry("&>> (bash 4.0+): use >>file 2>&1", Pattern.compile("&>>")),
            Map.entry("|& (bash 4.0+): use 2>&1 |", Pattern.compile("\\|&")),
            Map.entry("case fall-through ;& and ;;& (bash 4.0+)", Pattern.compile(";;&|(?<!;);&")),
            Map.entry("test -v (bash 4.2+): use ${x+set}", Pattern.compile("(\\[\\[?|\\btest)\\s+-v\\s")),
            Map.entry("BASHPID, EPOCHSECONDS, EPOCHREALTIME, SRANDOM (bash 4.0+, 5.0+, 5.1+)",
                    Pattern.compile("\\$\\{?(BASHPID|EPOCHSECONDS|EPOCHREALTIME|SRANDOM)\\b")),
            Map.entry("shopt globstar, lastpipe, autocd... (bash 4.0+)",
                    Pattern.compile("\\bshopt\\s+-s\\s+(globstar|lastpipe|autocd|checkjobs|dirspell|direxpand|"
                            + "globasciiranges|inherit_errexit|localvar_inherit|localvar_unset|assoc_expand_once)\\b")),
            Map.entry("brace expansion with a step {1..9..2} (bash 4.0+): use seq",
                    Pattern.compile("\\{-?\\w+\\.\\.-?\\w+\\.\\.")));

    @Test
    void runShUsesNothingNewerThanTheBash32MacOsShips() throws IOException {
        assertThat(newerThanBash32(Files.readString(RUN_SH))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "wait -n", "wait -n \"$pid\" || true", "declare -A seen=()", "local -A ports", "typeset -A x",
            "local -n ref=$1", "declare -gA x", "echo \"${name,,}\"", "echo ${name^^}", "x=${y,}", "x=${y^}",
            "echo \"${x@Q}\"", "echo ${a[-1]}", "mapfile -t lines < f", "readarray lines", "coproc cat",
            "cmd &>> log", "cmd |& tee log", "a) x ;;&", "a) x ;&", "[[ -v NAME ]]",
            "echo $BASHPID", "x=$EPOCHSECONDS", "shopt -s globstar", "for i in {1..9..2}; do :; done",
            "x=\"$(mapfile -t a < f)\"" })
    void theCheckFindsEachBash4Feature(String line) {
        assertThat(newerThanBash32(line + "\n")).as(line).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "# bash 3.2 has no `wait -n`, no associative arrays, no ${var,,}",
            "echo hi  # then wait -n",
            "echo 'wait -n and declare -A in a string'",
            "echo \"no mapfile here, no |& either\"", "cat <<<\"wait -n\"",
            "cat <<MSG\nwait -n coproc ${x}\nMSG",
            "cat <<'MSG'\n${x,,} readarray\nMSG",
            "echo \"  ${line#\\[INFO\\] }\"", "wait $! || true", "wait \"$pid\"", "local line downloads=0",
            "echo ${#args[@]} $# ${x:-default} ${x%,*}", "case $x in a) y ;; esac", "cmd > log 2>&1 &",
            "printf -v out '%s' x", "[ -n \"$x\" ]", "for i in {1..9}; do :; done" })
    void theCheckLeavesCommentsStringsAndBash32CodeAlone(String code) {
        assertThat(newerThanBash32(code + "\n")).as(code).isEmpty();
    }

    @Test
    void theFirstBuildShowsEachModuleTheResultErrorsAndACountOfDownloads() throws Exception {
        List<String> maven = new ArrayList<>();
        maven.add("[INFO] Scanning for projects...");
        for (int i = 1; i <= 250; i++) {
            maven.add("[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/b/" + i + ".jar");
            maven.add("[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/b/" + i + ".jar (1 kB at 9 kB/s)");
        }
        maven.add("[INFO] ------------< io.fabrictelemetry:generator-service >------------");
        maven.add("[INFO] Building generator-service 0.1.0-SNAPSHOT                        [2/3]");
        maven.add("[INFO] --- compiler:3.14.0:compile (default-compile) @ generator-service ---");
        maven.add("[ERROR] Failed to execute goal on project metrics-service");
        maven.add("[INFO] BUILD FAILURE");

        assertThat(buildProgress(String.join("\n", maven) + "\n")).containsExactly(
                "  ... 100 files downloaded",
                "  ... 200 files downloaded",
                "  Building generator-service 0.1.0-SNAPSHOT                        [2/3]",
                "  [ERROR] Failed to execute goal on project metrics-service",
                "  BUILD FAILURE");
    }

    /** Runs run.sh's own {@code build_progress} function (its text, cut out of the script) on {@code input}. */
    private static List<String> buildProgress(String input) throws Exception {
        String script = Files.readString(RUN_SH);
        Matcher function = Pattern.compile("(?ms)^build_progress\\(\\) \\{$.*?^\\}$").matcher(script);
        assertThat(function.find()).as("run.sh defines build_progress").isTrue();
        Process bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + function.group() + "\nbuild_progress")
                .redirectErrorStream(true).start();
        bash.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** The features of {@link #NEWER_THAN_BASH_32} found in the code of {@code script}, by line. */
    static List<String> newerThanBash32(String script) {
        List<String> found = new ArrayList<>();
        String[] lines = codeOnly(script).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (Map.Entry<String, Pattern> feature : NEWER_THAN_BASH_32.entrySet()) {
                if (feature.getValue().matcher(lines[i]).find()) {
                    found.add("line " + (i + 1) + ": " + feature.getKey() + ": " + lines[i].strip());
                }
            }
        }
        return found;
    }

    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");

    /**
     * The script with its comments, the text of its strings and of its here-documents blanked (the line
     * breaks kept, so line numbers hold): what is left is code, plus the {@code ${...}} and {@code $(...)}
     * inside double quotes and unquoted here-documents, which bash expands.
     */
    static String codeOnly(String script) {
        StringBuilder out = new StringBuilder(script.length());
        List<String[]> pendingHeredocs = new ArrayList<>(); // {delimiter, quoted, dash}
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\n') {
                out.append('\n');
                i++;
                // here-document bodies start on the line after their operator
                for (String[] heredoc : pendingHeredocs) {
                    i = heredocBody(script, i, heredoc[0], heredoc[1].equals("true"), heredoc[2].equals("true"), out);
                }
                pendingHeredocs.clear();
            } else if (c == '\\' && i + 1 < n) {
                out.append(' ').append(script.charAt(i + 1) == '\n' ? '\n' : ' ');
                i += 2;
            } else if (c == '#' && (i == 0 || " \t\n;&|()".indexOf(script.charAt(i - 1)) >= 0)) {
                while (i < n && script.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '\'') {
                out.append(' ');
                i++;
                while (i < n && script.charAt(i) != '\'') {
                    out.append(script.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
                out.append(' ');
                i++;
            } else if (c == '"') {
                out.append(' ');
                i = doubleQuoted(script, i + 1, '"', out);
            } else {
                Matcher heredoc = HEREDOC.matcher(script).region(i, n);
                if (c == '<' && (i == 0 || script.charAt(i - 1) != '<') && heredoc.lookingAt()) {
                    pendingHeredocs.add(new String[] { heredoc.group(2), String.valueOf(!heredoc.group(1).isEmpty()),
                            String.valueOf(script.startsWith("<<-", i)) });
                    out.append(script, i, heredoc.end());
                    i = heredoc.end();
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** Blanks the text of a double-quoted string from {@code i}, keeping its expansions; returns the index after it. */
    private static int doubleQuoted(String script, int i, char end, StringBuilder out) {
        int n = script.length();
        while (i < n && script.charAt(i) != end) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < n) {
                out.append("  ");
                i += 2;
            } else if (c == '$' && i + 1 < n && (script.charAt(i + 1) == '{' || script.charAt(i + 1) == '(')) {
                int close = matching(script, i + 1);
                out.append(codeOnly(script.substring(i, close)));
                i = close;
            } else {
                out.append(c == '\n' ? '\n' : ' ');
                i++;
            }
        }
        out.append(' ');
        return i + 1;
    }

    /** The index after the bracket that closes the one at {@code open}, nesting counted. */
    private static int matching(String script, int open) {
        char opening = script.charAt(open);
        char closing = opening == '{' ? '}' : ')';
        int depth = 0;
        for (int i = open; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return i + 1;
            }
        }
        return script.length();
    }

    /** Blanks a here-document's lines up to and including its delimiter; returns the index after them. */
    private static int heredocBody(String script, int i, String delimiter, boolean quoted, boolean dash,
            StringBuilder out) {
        int n = script.length();
        while (i < n) {
            int endOfLine = script.indexOf('\n', i);
            int lineEnd = endOfLine < 0 ? n : endOfLine;
            String line = script.substring(i, lineEnd);
            boolean last = (dash ? line.stripLeading() : line).equals(delimiter);
            if (quoted || last) {
                out.append(" ".repeat(line.length()));
            } else {
                doubleQuoted(line + "\u0000", 0, '\u0000', out);
                out.setLength(out.length() - 1);
            }
            if (endOfLine < 0) {
                return n;
            }
            out.append('\n');
            i = endOfLine + 1;
            if (last) {
                return i;
            }
        }
        return i;
    }
}
