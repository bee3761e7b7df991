package dev.muxgate.logtools;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The commands' picocli models, built in code rather than read from annotations. A report pays
 * its tool's start-up on every run: building the models from annotations took about 110 ms of each
 * (annotation parsing through dynamic proxies that no start-up archive keeps, and picocli's
 * default factory, which looks for Groovy on the whole class path), a twentieth of a one-gigabyte
 * summary and a third of a small one. The help texts and errors are picocli's, as before.
 */
final class CommandSpecs {

    /**
     * Makes what picocli asks for: the list a repeated option or the positionals fill, else an
     * instance from the class's no-argument constructor.
     */
    static final CommandLine.IFactory FACTORY = new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls.isAssignableFrom(java.util.ArrayList.class)) {
                return cls.cast(new java.util.ArrayList<>());
            }
            return cls.getDeclaredConstructor().newInstance();
        }
    };

    private CommandSpecs() {
    }

    /** A command run by {@code call}, with {@code -h, --help} and {@code -V, --version}. */
    static CommandSpec command(String name, Callable<Integer> call, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(call, FACTORY).name(name).version("muxgate-logs 0.1.0");
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /**
     * An option with one value of {@code type}, read from and written to the command's field by
     * {@code get} and {@code set}; {@code defaultValue} null for none (shown as {@code ${DEFAULT-VALUE}}).
     */
    static <T> OptionSpec option(String name, String label, Class<T> type, String defaultValue, String description,
                                 Supplier<T> get, Consumer<T> set) {
        // The field's value now is the one picocli puts back before each parse.
        OptionSpec.Builder builder = OptionSpec.builder(name).paramLabel(label).type(type).arity("1")
                .description(description).getter(getter(get)).setter(setter(set)).initialValue(get.get());
        if (defaultValue != null) {
            builder.defaultValue(defaultValue);
        }
        return builder.build();
    }

    /**
     * A required option that may be given several times, its values in order: picocli reads the
     * list so far through {@code get}, adds to it and hands it to {@code set}.
     */
    static OptionSpec repeatedRequired(String name, String label, String description, Supplier<List<String>> get,
                                       Consumer<List<String>> set) {
        return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class).arity("1")
                .required(true).description(description).getter(getter(get)).setter(setter(set)).build();
    }

    /** One or more positional values. */
    static PositionalParamSpec positionals(String label, String description, Supplier<List<String>> get,
                                           Consumer<List<String>> set) {
        return PositionalParamSpec.builder().paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .arity("1..*").required(true).description(description).getter(getter(get)).setter(setter(set)).build();
    }

    private static IGetter getter(Supplier<?> get) {
        return new IGetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get() {
                return (T) get.get();
            }
        };
    }

    private static <V> ISetter setter(Consumer<V> set) {
        return new ISetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T set(T value) {
                set.accept((V) value);
                return null;
            }
        };
    }
}
