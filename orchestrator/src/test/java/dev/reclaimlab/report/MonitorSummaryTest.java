package dev.reclaimlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Monitor CSVs are read by their header's column names: a host that writes columns in another order reads the same. */
class MonitorSummaryTest {

    @Test
    void columnsAreFoundByNameWhateverTheirOrder(@TempDir Path iteration) throws Exception {
        Files.createDirectories(iteration.resolve("monitors"));
        Files.writeString(iteration.resolve("monitors/loadavg.csv"), """
                threads,load15,load5,load1,uptime,runnable
                100,0.1,0.2,3.5,10.0,4
                101,0.1,0.2,7.5,11.0,9
                """);
        // system goes from 100 to 160 jiffies out of 200 in all: 30%; idle + iowait 60 of 200: busy 70%
        Files.writeString(iteration.resolve("monitors/cpu.csv"), """
                steal,softirq,irq,iowait,idle,system,nice,user,uptime
                0,0,0,0,1000,100,0,900,10.0
                0,0,0,20,1040,160,0,980,11.0
                0,0,0,20,10
                """);
        Files.writeString(iteration.resolve("monitors/psi.csv"), """
                uptime,some_total_us,some_avg10,full_avg10
                10.0,1000000,1.5,0.5
                11.0,3000000,4.0,garbled
                """);

        Map<String, Double> figures = MonitorSummary.read(iteration);

        assertEquals(7.5, figures.get("monitors.loadavg.load1_max"));
        assertEquals(5.5, figures.get("monitors.loadavg.load1_mean"));
        assertEquals(30.0, figures.get("monitors.cpu.system_pct"), 1e-9);
        assertEquals(70.0, figures.get("monitors.cpu.busy_pct"), 1e-9);
        assertEquals(4.0, figures.get("monitors.psi.some_avg10_max"));
        assertEquals(2000.0, figures.get("monitors.psi.some_stall_ms"));
        assertEquals(0.5, figures.get("monitors.psi.full_avg10_max"), "a garbled value skips its row only");

        List<MonitorSummary.Series> timelines = MonitorSummary.timelines(iteration, java.util.OptionalDouble.empty());
        assertEquals(List.of("loadavg 1m", "CPU system %", "memory PSI some avg10 %"),
                timelines.stream().map(MonitorSummary.Series::name).toList());
        assertEquals(1.0, timelines.get(1).points().get(0)[0], "seconds since the first sample");
        assertEquals(30.0, timelines.get(1).points().get(0)[1], 1e-9);
        // on the clock of the workloads' start (uptime 9.5): the monitors' rows at 10.0 and 11.0 come 0.5 and 1.5 s in
        List<MonitorSummary.Series> aligned = MonitorSummary.timelines(iteration, java.util.OptionalDouble.of(9.5));
        assertEquals(List.of(0.5, 1.5), aligned.get(0).points().stream().map(p -> p[0]).toList());
        assertEquals(1.5, aligned.get(1).points().get(0)[0], "CPU system % of the interval ending at 11.0");
    }

    @Test
    void aMissingColumnOrFileGivesNoFigureRatherThanAWrongOne(@TempDir Path iteration) throws Exception {
        Files.createDirectories(iteration.resolve("monitors"));
        Files.writeString(iteration.resolve("monitors/loadavg.csv"), "uptime,load5\n10.0,1.0\n");

        Map<String, Double> figures = MonitorSummary.read(iteration);

        assertFalse(figures.containsKey("monitors.loadavg.load1_max"));
        assertEquals(Map.of(), figures);
    }
}
