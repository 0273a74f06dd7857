package dev.reclaimlab.nightly;

import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.BaselineKey;
import dev.reclaimlab.history.Baselines;
import dev.reclaimlab.history.HostLeases;
import dev.reclaimlab.history.IndexedRun;
import dev.reclaimlab.history.Notifications;
import dev.reclaimlab.history.Regression;
import dev.reclaimlab.history.Regressions;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.RunIndexer;
import dev.reclaimlab.history.Runs;
import dev.reclaimlab.history.StoredIteration;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.plan.VerdictSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One night: take the host's lease, run the plan, index the run, judge every variant's verdict metrics against the
 * baseline, re-run once before telling anyone of a new regression, move tracked regressions on, tell the webhook of
 * each change of state, and accept the night into the baseline when it is clean and good.
 */
public final class NightlyJob {
    /** Runs the plan once on the host (booted into the night's kernel) and returns the run directory. */
    @FunctionalInterface
    public interface NightRunner {
        Path run(String purpose) throws IOException, InterruptedException;
    }

    /**
     * @param baselineSamples a pool is enough with this many finished repeats…
     * @param baselineRuns    …or this many accepted runs
     * @param holder          who takes the host's lease: a person reads it when a second job is refused
     */
    public record Settings(String host, int baselineSamples, int baselineRuns, String holder) {}

    /**
     * @param status     {@code baseline} (the baseline is still being built, and this night joined it), {@code good}, {@code regressed} (a regression
     *                   is confirmed or still active), {@code unknown}, {@code error} (infrastructure: nothing judged),
     *                   {@code busy} (another job holds the host)
     * @param rerun      the re-run made to confirm a new regression; null when none was needed
     * @param changes    the regressions whose state this night changed
     * @param open       regressions still open after this night (confirmed or active)
     */
    public record Result(String status, IndexedRun run, IndexedRun rerun, List<Judgement> judgements,
                         List<Regression> changes, List<Regression> open, List<Notifications.Sent> sent,
                         boolean accepted, List<String> baselineRuns, String error) {
        public Result {
            judgements = List.copyOf(judgements);
            changes = List.copyOf(changes);
            open = List.copyOf(open);
            sent = List.copyOf(sent);
            baselineRuns = List.copyOf(baselineRuns);
        }

        static Result failed(String status, IndexedRun run, String error) {
            return new Result(status, run, null, List.of(), List.of(), List.of(), List.of(), false, List.of(), error);
        }
    }

    /**
     * Looks for the first bad kernel of a confirmed regression between its last good kernel and the night's, within a
     * budget; the answer (or why there was none) goes into the database and the notification.
     */
    @FunctionalInterface
    public interface RegressionBisector {
        String bisect(Regression regression) throws IOException, InterruptedException;
    }

    /** Where the evidence of a night can be read: a comparison of the night against its baseline, or the run's report. */
    @FunctionalInterface
    public interface ReportLinker {
        String link(IndexedRun night, List<IndexedRun> baseline) throws IOException;
    }

    private final ResultsDatabase db;
    private final List<Criterion> criteria;
    private final VerdictSpec spec;
    private final Settings settings;
    private final NightRunner runner;
    private final Webhook webhook;
    private final ReportLinker reports;
    private final Consumer<String> log;
    private final Clock clock;
    private final RegressionBisector bisector;
    private final Map<String, String> bisected = new LinkedHashMap<>();

    public NightlyJob(ResultsDatabase db, List<Criterion> criteria, VerdictSpec spec, Settings settings,
                      NightRunner runner, Webhook webhook, ReportLinker reports, Consumer<String> log, Clock clock) {
        this(db, criteria, spec, settings, runner, webhook, reports, log, clock, null);
    }

    /** @param bisector run on each newly confirmed regression before anyone is told; null: none */
    public NightlyJob(ResultsDatabase db, List<Criterion> criteria, VerdictSpec spec, Settings settings,
                      NightRunner runner, Webhook webhook, ReportLinker reports, Consumer<String> log, Clock clock,
                      RegressionBisector bisector) {
        this.db = db;
        this.criteria = List.copyOf(criteria);
        this.spec = spec;
        this.settings = settings;
        this.runner = runner;
        this.webhook = webhook;
        this.reports = reports;
        this.log = log;
        this.clock = clock;
        this.bisector = bisector;
    }

    public Result run() throws IOException, InterruptedException {
        HostLeases leases = new HostLeases(db);
        Optional<String> holder = leases.take(settings.host(), settings.holder(), clock.instant());
        if (holder.isPresent()) {
            return Result.failed("busy", null, "host " + settings.host() + " is leased by " + holder.get());
        }
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-renewal");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(() -> {
            try {
                leases.renew(settings.host(), settings.holder(), clock.instant());
            } catch (IOException e) {
                log.accept("cannot renew the lease on " + settings.host() + ": " + e.getMessage());
            }
        }, 1, 1, TimeUnit.MINUTES);
        try {
            return night();
        } finally {
            renewer.shutdownNow();
            leases.release(settings.host(), settings.holder());
        }
    }

    private Result night() throws IOException, InterruptedException {
        Runs runs = new Runs(db);
        RunIndexer indexer = new RunIndexer(db);
        List<String> metrics = criteria.stream().map(Criterion::metric).distinct().toList();
        Path dir;
        try {
            dir = runner.run("night");
        } catch (IOException e) {
            return Result.failed("error", null, "the night's run failed: " + e.getMessage());
        }
        IndexedRun night = indexer.index(dir, "nightly");
        List<StoredIteration> nightIterations = runs.iterations(List.of(night.runId()), settings.host(), null, metrics);
        if (nightIterations.stream().noneMatch(i -> i.ok() || i.wentDown())) {
            String why = nightIterations.isEmpty() ? "no iteration ran on " + settings.host()
                    : "no iteration finished: " + nightIterations.stream().map(StoredIteration::status).distinct().toList();
            return Result.failed("error", night, why + " (see " + night.dir() + ")");
        }
        Map<String, List<StoredIteration>> byVariant = byVariant(nightIterations);
        Baselines baselines = new Baselines(runs);
        Regressions regressions = new Regressions(db);
        List<Judgement> judgements = new ArrayList<>();
        Map<BaselineKey, Baselines.Pool> pools = new LinkedHashMap<>();
        boolean acceptable = nightIterations.stream().allMatch(StoredIteration::ok);
        boolean building = true;
        for (Map.Entry<String, List<StoredIteration>> variant : byVariant.entrySet()) {
            BaselineKey key = new BaselineKey(night.planHash(), settings.host(), variant.getKey());
            Baselines.Pool pool = baselines.pool(key, settings.baselineSamples(), settings.baselineRuns(),
                    night.runId(), metrics);
            pools.put(key, pool);
            building &= !pool.enough();
            for (Criterion criterion : criteria) {
                if (!pool.enough()) {
                    judgements.add(new Judgement(key, criterion, Outcome.UNKNOWN, null, pool.empty()
                            ? "first night: this run starts the baseline"
                            : "baseline still building: " + pool.describe() + " (judged from " + settings.baselineSamples()
                            + " repeats or " + settings.baselineRuns() + " runs)"));
                    continue;
                }
                Judgement j = BaselineJudge.judge(key, criterion, spec, pool.iterations(), variant.getValue());
                judgements.add(j);
                acceptable &= j.outcome() == Outcome.GOOD;
            }
            if (!pool.enough()) {
                // a night that builds the baseline must at least be readable: every repeat within the loss limit
                acceptable &= variant.getValue().stream().allMatch(i -> i.lostPercent() == null
                        || i.lostPercent() <= spec.maxLostPercent());
            }
        }
        String at = ResultsDatabase.stamp(clock.instant());
        List<Regression> changes = new ArrayList<>();
        List<Judgement> toConfirm = new ArrayList<>();
        Map<Judgement, Regression> fresh = new LinkedHashMap<>();
        List<Notifications.Sent> sent = new ArrayList<>();
        for (Judgement j : judgements) {
            Optional<Regression> open = regressions.unclosed(j.key(), j.metric());
            if (!pools.get(j.key()).enough() && open.isEmpty()) {
                continue;
            }
            Tracker.Step step = Tracker.night(open, j.outcome());
            if (step.state() == null) {
                continue;
            }
            if (step.rerun()) {
                Regression r = opened(j, night, pools.get(j.key()), nightIterations, at);
                regressions.save(r);
                fresh.put(j, r);
                toConfirm.add(j);
                log.accept("new regression, re-running before anyone is told: " + j.key().variant() + " " + j.metric()
                        + " " + j.why());
                continue;
            }
            Regression moved = open.get().with(step.state(), night.runId(), at);
            if (!moved.state().equals(open.get().state()) || !night.runId().equals(open.get().lastRun())) {
                regressions.save(moved);
            }
            if (!moved.state().equals(open.get().state())) {
                changes.add(moved);
                log.accept("regression " + moved.metric() + " (" + moved.variant() + "): " + open.get().state() + " → "
                        + moved.state());
            }
            if (step.tell() != null) {
                sent.add(tell(step.tell(), moved, night, j, pools.get(j.key())));
            }
        }
        IndexedRun rerun = null;
        if (!toConfirm.isEmpty()) {
            Path again;
            try {
                again = runner.run("confirmation");
                rerun = indexer.index(again, "nightly");
            } catch (IOException e) {
                log.accept("the confirmation re-run failed (" + e.getMessage() + "); the new regressions stay new and "
                        + "the next night confirms them");
            }
            if (rerun != null) {
                List<StoredIteration> rerunIterations = runs.iterations(List.of(rerun.runId()), settings.host(), null,
                        metrics);
                Map<String, List<StoredIteration>> rerunByVariant = byVariant(rerunIterations);
                for (Judgement j : toConfirm) {
                    Judgement again2 = BaselineJudge.judge(j.key(), j.criterion(), spec, pools.get(j.key()).iterations(),
                            rerunByVariant.getOrDefault(j.key().variant(), List.of()));
                    Tracker.Step step = Tracker.confirmation(again2.outcome());
                    Regression moved = fresh.get(j).with(step.state(), rerun.runId(), at);
                    if (Regression.CONFIRMED.equals(moved.state()) && bisector != null) {
                        moved = moved.withBisect(bisect(moved));
                    }
                    regressions.save(moved);
                    changes.add(moved);
                    log.accept("re-run: " + j.metric() + " (" + j.key().variant() + ") " + again2.outcome().word() + ", "
                            + again2.why() + " → " + moved.state());
                    if (step.tell() != null) {
                        sent.add(tell(step.tell(), moved, night, j, pools.get(j.key())));
                    }
                }
            }
        }
        boolean accepted = false;
        if (acceptable) {
            runs.decide(night.runId(), IndexedRun.ACCEPTED, "lab nightly");
            accepted = true;
        }
        List<Regression> stillOpen = new ArrayList<>();
        for (BaselineKey key : pools.keySet()) {
            for (Criterion c : criteria) {
                regressions.unclosed(key, c.metric()).filter(Regression::open).ifPresent(stillOpen::add);
            }
        }
        String status = !stillOpen.isEmpty() ? "regressed"
                : building && accepted ? "baseline"
                : judgements.stream().allMatch(j -> j.outcome() == Outcome.GOOD) ? "good" : "unknown";
        List<String> baselineRuns = pools.values().stream().flatMap(p -> p.runs().stream()).map(IndexedRun::runId)
                .distinct().toList();
        return new Result(status, night, rerun, judgements, changes, stillOpen, sent, accepted, baselineRuns, null);
    }

    /** One bisect per pair of kernels, however many metrics and variants regressed between them. */
    private String bisect(Regression r) throws InterruptedException {
        String pair = r.lastGoodKernel() + " → " + r.firstKernel() + " " + r.variant();
        if (!bisected.containsKey(pair)) {
            String answer;
            try {
                answer = bisector.bisect(r);
            } catch (IOException e) {
                answer = "the bisect failed: " + e.getMessage();
            }
            log.accept("bisect " + pair + ": " + answer);
            bisected.put(pair, answer);
        }
        return bisected.get(pair);
    }

    private Regression opened(Judgement j, IndexedRun night, Baselines.Pool pool, List<StoredIteration> iterations,
                              String at) {
        String kernel = iterations.stream().map(StoredIteration::kernel).filter(java.util.Objects::nonNull).findFirst()
                .orElse(null);
        Double percent = j.compared() == null ? null : j.compared().percent();
        Double p = j.compared() == null ? null : j.compared().p();
        return new Regression(UUID.randomUUID().toString(), night.planName(), night.planHash(), settings.host(),
                j.key().variant(), j.metric(), Regression.NEW, night.runId(), kernel,
                pool.runs().isEmpty() ? null : pool.runs().get(0).runId(), pool.lastGoodKernel(), night.runId(), null,
                percent, p, j.why(), null, at, at, null);
    }

    private Notifications.Sent tell(String event, Regression r, IndexedRun night, Judgement j, Baselines.Pool pool)
            throws IOException, InterruptedException {
        List<String> baselineKernels = new ArrayList<>(new LinkedHashSet<>(pool.iterations().stream()
                .map(StoredIteration::kernel).filter(java.util.Objects::nonNull).toList()));
        String kernel = new Runs(db).iterations(List.of(night.runId()), settings.host(), r.variant(), List.of()).stream()
                .map(StoredIteration::kernel).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String report;
        try {
            report = reports.link(night, pool.runs());
        } catch (IOException e) {
            report = night.report() != null ? night.report() : night.dir();
        }
        Notice notice = Notice.of(event, r, kernel, baselineKernels, j.why(),
                j.compared() == null ? null : j.compared().percent(), j.compared() == null ? null : j.compared().p(),
                night.runId(), report);
        String at = ResultsDatabase.stamp(clock.instant());
        Notifications.Sent sent;
        if (webhook == null) {
            log.accept(event + ": " + notice.text() + " (no --notify: told nobody)");
            sent = new Notifications.Sent(r.id(), event, "(none)", at, null, 0, null);
        } else {
            Webhook.Delivery d = webhook.send(event, Json.mapper().writeValueAsString(notice));
            sent = new Notifications.Sent(r.id(), event, webhook.target().toString(), at, d.status(), d.attempts(),
                    d.error());
            log.accept(event + " " + (d.delivered() ? "told " : "NOT delivered to ") + webhook.target() + " after "
                    + d.attempts() + " attempt" + (d.attempts() == 1 ? "" : "s") + (d.delivered() ? "" : ": " + d.error()));
        }
        new Notifications(db).record(sent);
        return sent;
    }

    private static Map<String, List<StoredIteration>> byVariant(List<StoredIteration> iterations) {
        Map<String, List<StoredIteration>> out = new LinkedHashMap<>();
        iterations.forEach(i -> out.computeIfAbsent(i.variant(), v -> new ArrayList<>()).add(i));
        return out;
    }
}
