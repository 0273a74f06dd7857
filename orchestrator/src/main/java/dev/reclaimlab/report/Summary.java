package dev.reclaimlab.report;

import java.util.List;

/** One metric over one side's repeats. {@code stddev} is the sample standard deviation (0 with one repeat). */
public record Summary(int n, double mean, double stddev, double min, double max, List<Double> values) {
    public Summary {
        values = List.copyOf(values);
    }


    public static Summary of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of());
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double stddev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return new Summary(n, mean, stddev, min, max, List.copyOf(values));
    }
}
