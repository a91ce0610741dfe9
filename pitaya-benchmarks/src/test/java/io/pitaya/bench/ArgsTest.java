package io.pitaya.bench;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    @Test
    void readsValuesFlagsDurationsAndTheRest() {
        Args args = Args.parse(new String[] {"--clients", "1_000", "--route=room.echo", "--quiet", "--warmup", "1.5s",
                "--duration", "2m", "--rate", "250.5", "--", "java", "-jar", "x.jar"}, "quiet");

        assertThat(args.integer("clients", 256)).isEqualTo(1000);
        assertThat(args.string("route", "echo.echo")).isEqualTo("room.echo");
        assertThat(args.flag("quiet")).isTrue();
        assertThat(args.flag("no-verify")).isFalse();
        assertThat(args.duration("warmup", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(args.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(args.decimal("rate", 0)).isEqualTo(250.5);
        assertThat(args.integer("payload", 64)).as("absent: the default").isEqualTo(64);
        assertThat(args.rest()).isEqualTo(List.of("java", "-jar", "x.jar"));
        args.requireAllUsed();
    }

    @Test
    void aTypoIsAnErrorNotASilentDefault() {
        Args args = Args.parse(new String[] {"--client", "4"});
        args.integer("clients", 256);

        assertThatThrownBy(args::requireAllUsed).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--client").hasMessageContaining("--help");
        assertThatThrownBy(() -> Args.parse(new String[] {"--clients"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"clients"})).hasMessageContaining("unexpected argument 'clients'");
    }

    @Test
    void usageListsTheOptionsTheToolReadWithTheirDefaults() {
        Args args = Args.parse(new String[] {"-h"}, "quiet");
        args.integer("clients", 256);
        args.duration("warmup", Duration.ofSeconds(10));
        args.duration("pause", Duration.ofMillis(20));
        args.string("json", null);
        args.flag("quiet");

        assertThat(args.usage("io.pitaya.bench.LoadGenerator").lines().toList()).containsExactly(
                "usage: java -cp <class path> io.pitaya.bench.LoadGenerator [--option value | --flag]...",
                "options:",
                "  --clients  default: 256",
                "  --warmup   default: 10s",
                "  --pause    default: 20ms",
                "  --json     default: none",
                "  --quiet    default: off (a flag)");
    }
}
