package io.pitaya.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain command-line options: {@code --name value} and {@code --flag}; everything after {@code --} is
 * kept as it is ({@link #rest()}). Durations read as {@code 500ms}, {@code 10s}, {@code 2m}.
 * {@code --help} (or {@code -h}) lists the options the tool reads, with their defaults, and exits.
 */
public final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    /** The options the tool asked for, in order, with the default it would use. */
    private final Map<String, String> asked = new LinkedHashMap<>();
    private final List<String> rest = new ArrayList<>();

    private static final String HELP = "help";

    private Args() {
    }

    /**
     * @param argv the command line
     * @param flags options that take no value
     * @return the parsed options
     * @throws IllegalArgumentException on an option without a value or a stray word
     */
    public static Args parse(String[] argv, String... flags) {
        Set<String> flagSet = new HashSet<>(List.of(flags));
        flagSet.add(HELP);
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String word = argv[i].equals("-h") ? "--" + HELP : argv[i];
            if (word.equals("--")) {
                args.rest.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (!word.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + word + "'");
            }
            String name = word.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                args.values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (flagSet.contains(name)) {
                args.values.put(name, "true");
            } else if (i + 1 < argv.length) {
                args.values.put(name, argv[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
        return args;
    }

    public String string(String name, String defaultValue) {
        return value(name, defaultValue == null ? "none" : defaultValue, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        String value = value(name, String.valueOf(defaultValue), null);
        return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
    }

    public double decimal(String name, double defaultValue) {
        String value = value(name, String.valueOf(defaultValue), null);
        return value == null ? defaultValue : Double.parseDouble(value.replace("_", ""));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(value(name, "off (a flag)", "false"));
    }

    public Duration duration(String name, Duration defaultValue) {
        String value = value(name, defaultValue == null ? "none" : format(defaultValue), null);
        return value == null ? defaultValue : parseDuration(value);
    }

    private String value(String name, String shownDefault, String defaultValue) {
        asked.putIfAbsent(name, shownDefault);
        return values.getOrDefault(name, defaultValue);
    }

    /** @return the words after {@code --} */
    public List<String> rest() {
        return rest;
    }

    /**
     * Fails on options nobody asked for, so that a typo does not silently run the default. Call it after
     * reading every option and before doing any work: with {@code --help} it prints {@link #usage} and
     * ends the JVM.
     * @throws IllegalArgumentException naming the unknown options
     */
    public void requireAllUsed() {
        if (values.containsKey(HELP)) {
            System.out.println(usage(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getName()));
            System.exit(0);
        }
        List<String> unknown = values.keySet().stream().filter(k -> !asked.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown) + " (--help lists them)");
        }
    }

    /**
     * @param tool the main class, as the first line names it
     * @return the options read so far, one a line with its default
     */
    public String usage(String tool) {
        StringBuilder text = new StringBuilder("usage: java -cp <class path> " + tool + " [--option value | --flag]...\noptions:");
        int width = asked.keySet().stream().mapToInt(String::length).max().orElse(0);
        asked.forEach((name, shownDefault) -> text.append(String.format("%n  --%-" + width + "s  default: %s", name, shownDefault)));
        return text.toString();
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
