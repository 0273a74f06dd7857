package dev.reclaimlab.artifacts;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV files lab writes on hosts (monitors, workload exits): a header row, then rows of plain values (never
 * quoted: no value holds a comma). Readers name the columns they want, so a column added or moved on the host side
 * breaks nothing here. A row of the wrong width (the cut last line of a killed sampler) is skipped.
 */
public final class Csv {
    private Csv() {}

    /**
     * The named columns of every row, as numbers, in the order named. Rows where one of them is not a number are
     * skipped; empty when the file or one of the columns is missing.
     */
    public static List<double[]> numbers(Path file, String... columns) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                return rows;
            }
            List<String> header = List.of(headerLine.split(",", -1));
            int[] at = new int[columns.length];
            for (int i = 0; i < columns.length; i++) {
                at[i] = header.indexOf(columns[i]);
                if (at[i] < 0) {
                    return rows;
                }
            }
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cells = line.split(",", -1);
                if (cells.length != header.size()) {
                    continue;
                }
                double[] row = new double[columns.length];
                try {
                    for (int i = 0; i < columns.length; i++) {
                        row[i] = Double.parseDouble(cells[at[i]]);
                    }
                    rows.add(row);
                } catch (NumberFormatException e) {
                    // a garbled sample; the others still count
                }
            }
        }
        return rows;
    }

    /** Every row as column name to value, in file order; empty when the file is missing. */
    public static List<Map<String, String>> records(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                return rows;
            }
            String[] header = headerLine.split(",", -1);
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cells = line.split(",", -1);
                if (cells.length != header.length) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
