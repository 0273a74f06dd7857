package dev.reclaimlab.cli;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.run.Progress;
import dev.reclaimlab.step.Step;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Progress on the terminal: one line per step with its outcome and time, the output of long steps as it comes,
 * and a "still running" line every {@link #TICK} for long steps so a quiet workload never looks like a hang.
 */
final class TerminalProgress implements Progress {
    static final Duration TICK = Duration.ofSeconds(10);

    private final PrintStream out;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lab-progress");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> ticks = new ConcurrentHashMap<>();

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void info(String host, String message) {
        out.printf("[%s] %s%n", host, message);
    }

    @Override
    public void stepStarted(String host, String iteration, Step step) {
        if (!step.longRunning()) {
            return;
        }
        out.printf("[%s] %-22s %s ...%n", host, iteration, step.description());
        Instant start = Instant.now();
        ticks.put(host, ticker.scheduleAtFixedRate(() -> out.printf("[%s] %-22s ... %ds of at most %ds%n", host,
                        iteration, Duration.between(start, Instant.now()).toSeconds(), step.timeout().toSeconds()),
                TICK.toSeconds(), TICK.toSeconds(), TimeUnit.SECONDS));
    }

    @Override
    public void output(String host, String line) {
        out.printf("[%s]   | %s%n", host, line);
    }

    @Override
    public void stepFinished(String host, String iteration, Step step, ExecResult result) {
        stopTicking(host);
        String outcome = result.ok() ? "ok" : "FAILED (" + result.outcome() + ")";
        out.printf("[%s] %-22s %s: %s %.1fs%n", host, iteration, step.description(), outcome,
                result.duration().toMillis() / 1000.0);
    }

    @Override
    public void stepLost(String host, String iteration, Step step, String why) {
        stopTicking(host);
        out.printf("[%s] %-22s %s: NO RESULT (%s)%n", host, iteration, step.description(), why);
    }

    private void stopTicking(String host) {
        ScheduledFuture<?> tick = ticks.remove(host);
        if (tick != null) {
            tick.cancel(false);
        }
    }
}
