package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virtthrottle.cli.command.NamedForm;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Keeps man/virt-throttle.1 in step with the command model. picocli-codegen's ManPageGenerator writes
 * AsciiDoc for every command; the parts the template src/docs/virt-throttle.adoc uses are collected in
 * target/manpage/model.adoc; Asciidoctor's manpage backend renders the template. With
 * {@code -Dregenerate=true} the result is written to man/virt-throttle.1.
 */
class ManPageTest {
    private static final String REGENERATE =
            "mvn -q -B test -DexcludedGroups=integration -Dtest=ManPageTest -Dregenerate=true";
    private static final Path CHECKED_IN = Path.of("man/virt-throttle.1");
    private static final Path TEMPLATE = Path.of("src/docs/virt-throttle.adoc");
    private static final Path WORK = Path.of("target/manpage");
    private static final Path GENERATED = WORK.resolve("virt-throttle.1");

    private static CommandSpec root;
    private static String page;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter discard = new StringWriter();
        root = new Cli(Main.context(new Output(new PrintWriter(discard), new PrintWriter(discard)), null))
                .commandLine().getCommandSpec();
        root.usageMessage().autoWidth(false); // the synopsis must not depend on the terminal's width
        for (CommandSpec command : commands()) {
            command.usageMessage().autoWidth(false);
            // global options and --help/--version are described once, under GLOBAL OPTIONS
            List<OptionSpec> shared = command.options().stream()
                    .filter(o -> o.inherited() || o.usageHelp() || o.versionHelp()).toList();
            shared.forEach(command::remove);
        }
        Path picocliDir = WORK.resolve("picocli");
        assertThat(ManPageGenerator.generateManPage(picocliDir.toFile(), null, new boolean[0], false, root))
                .as("ManPageGenerator exit code").isZero();
        Path model = WORK.resolve("model.adoc");
        Files.writeString(model, model(picocliDir));
        render(model);
        page = Files.readString(GENERATED);
        if (Boolean.getBoolean("regenerate")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, page);
        }
    }

    @Test
    void checkedInPageIsCurrent() throws IOException {
        String checkedIn = Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN) : "";
        assertThat(checkedIn)
                .withFailMessage("%s is stale: the commands, %s or the version changed (new page: %s). Regenerate it with%n  %s",
                        CHECKED_IN, TEMPLATE, GENERATED, REGENERATE)
                .isEqualTo(page);
    }

    @Test
    void manRendersPageWithoutWarnings() throws Exception {
        Path out = WORK.resolve("man.out");
        Path err = WORK.resolve("man.err");
        ProcessBuilder man = new ProcessBuilder("man", "-l", CHECKED_IN.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        man.environment().put("MANWIDTH", "80");
        man.environment().put("MANROFFOPT", "-ww"); // every groff warning, not only the default ones
        man.environment().put("LC_ALL", "C"); // plain ASCII, whatever the host's locale
        Process process = man.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("man finished").isTrue();
        assertThat(Files.readString(err)).as("man's stderr").isEmpty();
        assertThat(process.exitValue()).as("man's exit code").isZero();
        assertThat(Files.readString(out)).contains(commands().stream().flatMap(c -> names(c).stream()).toList());
    }

    /** The non-hidden subcommands, in the model's order (aliases map to the same command once). */
    private static List<CommandSpec> commands() {
        return new LinkedHashSet<>(root.subcommands().values()).stream()
                .map(CommandLine::getCommandSpec)
                .filter(c -> !c.usageMessage().hidden())
                .toList();
    }

    private static List<String> names(CommandSpec command) {
        return Stream.concat(Stream.of(command.name()), Stream.of(command.aliases())).toList();
    }

    /** The tagged parts the template includes, taken from ManPageGenerator's AsciiDoc files. */
    private static String model(Path picocliDir) throws IOException {
        StringBuilder adoc = new StringBuilder("// Generated by ManPageTest from the picocli model; do not edit.\n\n");
        String rootPage = Files.readString(picocliDir.resolve(fileName(root)));
        for (String part : List.of("synopsis", "description", "options", "exit-status")) {
            // the template has its own heading for each part
            tagged(adoc, part, body(section(rootPage, part)));
        }
        List<String> commands = new ArrayList<>();
        for (CommandSpec command : commands()) {
            String commandPage = Files.readString(picocliDir.resolve(fileName(command)));
            List<String> text = new ArrayList<>();
            text.add("=== " + String.join(", ", names(command)));
            text.add(body(section(commandPage, "synopsis")));
            text.add(body(section(commandPage, "description")));
            text.add(titled(section(commandPage, "options")));
            text.add(titled(withNamedForms(command, section(commandPage, "arguments"))));
            text.removeIf(String::isEmpty);
            commands.add(String.join("\n\n", text));
        }
        tagged(adoc, "commands", String.join("\n\n", commands));
        return adoc.toString();
    }

    /** Each argument as virsh's help names it: {@code [--domain] DOMAIN}, as the command's help shows it. */
    private static String withNamedForms(CommandSpec command, String arguments) {
        for (var p : command.positionalParameters()) {
            if (p.userObject() instanceof java.lang.reflect.Field f && f.getAnnotation(NamedForm.class) != null) {
                String label = "_" + p.paramLabel() + "_::";
                arguments = arguments.replace(label, "[--" + f.getAnnotation(NamedForm.class).value() + "] " + label);
            }
        }
        return arguments;
    }

    /** ManPageGenerator's file name for a command. */
    private static String fileName(CommandSpec command) {
        return command.qualifiedName("-").replaceAll("\\s", "_") + ".adoc";
    }

    /** The text of one of ManPageGenerator's man-section tags, without blank lines around it. */
    private static String section(String manPage, String name) {
        String start = "// tag::picocli-generated-man-section-" + name + "[]\n";
        String end = "// end::picocli-generated-man-section-" + name + "[]\n";
        int from = manPage.indexOf(start) + start.length();
        return manPage.substring(from, manPage.indexOf(end, from)).strip();
    }

    /** A section without its heading. */
    private static String body(String section) {
        return titled(section.substring(section.indexOf('\n') + 1));
    }

    /**
     * Headings become block titles (bound to the block that follows): the text sits in a command's
     * subsection or under one of the template's headings.
     */
    private static String titled(String adoc) {
        return adoc.strip().replaceAll("(?m)^==+[ \t]+(.*?)[ \t]*\n\n*", ".$1\n");
    }

    private static void tagged(StringBuilder adoc, String tag, String text) {
        adoc.append("// tag::").append(tag).append("[]\n")
                .append(text).append('\n')
                .append("// end::").append(tag).append("[]\n\n");
    }

    private static void render(Path model) {
        String version = System.getProperty("virtthrottle.version");
        assertThat(version).as("system property virtthrottle.version (set by surefire in pom.xml)").isNotNull();
        List<LogRecord> problems = new ArrayList<>();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            asciidoctor.registerLogHandler(record -> {
                if (record.getSeverity().compareTo(Severity.WARN) >= 0) {
                    problems.add(record);
                }
            });
            asciidoctor.convertFile(TEMPLATE.toFile(), Options.builder()
                    .backend("manpage")
                    .safe(SafeMode.UNSAFE) // the template includes the model from target/, outside src/docs
                    .toFile(GENERATED.toFile())
                    .attributes(Attributes.builder()
                            .attribute("model", model.toAbsolutePath().toString())
                            .attribute("project-version", version)
                            .attribute("reproducible", "") // no date: same model, same bytes
                            .attribute("attribute-missing", "warn")
                            .build())
                    .build());
        }
        assertThat(problems).extracting(LogRecord::getMessage).as("Asciidoctor warnings").isEmpty();
    }
}
