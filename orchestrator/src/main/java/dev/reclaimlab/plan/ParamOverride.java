package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;
import java.nio.file.Path;

/**
 * A parameter of a plan set on the command line, as Ansible's {@code -e} or an LKP job override: {@code -p pods=10}
 * sets a default of {@code params} or the values of a matrix parameter ({@code -p swappiness=100,0}; several values
 * make a parameter of {@code params} a matrix dimension), and {@code --variant point=A} runs only the variants with
 * those values of a matrix parameter. Values are YAML, as in the plan: {@code 10} is a number, {@code "a,b"} one
 * text with a comma. Checked by {@link PlanLoader} with the plan, and its problems point at the argument.
 *
 * @param option   {@code -p} or {@code --variant}, for messages
 * @param argument what followed the option: {@code NAME=VALUE[,VALUE...]}
 * @param select   true for {@code --variant}: the values must be the matrix's own, and only they run
 */
public record ParamOverride(String option, String argument, boolean select) {

    /** {@code -p NAME=VALUE[,VALUE...]}. */
    public static ParamOverride set(String argument) {
        return new ParamOverride("-p", argument, false);
    }

    /** {@code --variant NAME=VALUE[,VALUE...]}. */
    public static ParamOverride select(String argument) {
        return new ParamOverride("--variant", argument, true);
    }

    /** The parameter's name; empty when the argument has no '='. */
    public String name() {
        int eq = argument.indexOf('=');
        return eq < 0 ? "" : argument.substring(0, eq);
    }

    /** The values as YAML flow text (without the brackets that make them a list). */
    String valuesText() {
        int eq = argument.indexOf('=');
        return eq < 0 ? "" : argument.substring(eq + 1);
    }

    /** Where problems with it are reported: the option and its argument, column 1 at the argument's start. */
    Location at(int column) {
        return new Location(Path.of(option + " " + argument), 1, column);
    }

    /** The column in {@link #argument} of the first character of the values. */
    int valuesColumn() {
        return argument.indexOf('=') + 2;
    }
}
