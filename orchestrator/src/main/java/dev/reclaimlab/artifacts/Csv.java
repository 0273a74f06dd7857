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
 * breaks nothing here. A row of the wrong width (the cut last line of a killed sampler) is skipped. Files are read
 * as a stream, a row at a time.
 */
public final class Csv {
    private Csv() {}

    /** What is done with each row: the header first, then every row of the header's width. */
    private interface Rows {
        /** False when the rows are of no use (a wanted column is missing): they are then not read. */
        boolean header(List<String> header);

        void row(String[] cells);
    }

    /**
     * The named columns of every row, as numbers, in the order named. Rows where one of them is not a number are
     * skipped; empty when the file or one of the columns is missing.
     */
    public static List<double[]> numbers(Path file, String... columns) throws IOException {
        List<double[]> rows = new ArrayList<>();
        int[] at = new int[columns.length];
        read(file, new Rows() {
            @Override
            public boolean header(List<String> header) {
                for (int i = 0; i < columns.length; i++) {
                    at[i] = header.indexOf(columns[i]);
                    if (at[i] < 0) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void row(String[] cells) {
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
        });
        return rows;
    }

    /** Every row as column name to value, in file order; empty when the file is missing. */
    public static List<Map<String, String>> records(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        read(file, new Rows() {
            @Override
            public boolean header(List<String> header) {
                names.addAll(header);
                return true;
            }

            @Override
            public void row(String[] cells) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < cells.length; i++) {
                    row.put(names.get(i), cells[i]);
                }
                rows.add(row);
            }
        });
        return rows;
    }

    private static void read(Path file, Rows rows) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                return;
            }
            List<String> header = List.of(headerLine.split(",", -1));
            if (!rows.header(header)) {
                return;
            }
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cells = line.split(",", -1);
                if (cells.length == header.size()) {
                    rows.row(cells);
                }
            }
        }
    }
}
