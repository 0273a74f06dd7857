package dev.reclaimlab.report;

import dev.reclaimlab.profile.FoldedStacks;
import dev.reclaimlab.profile.FunctionShares;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.reclaimlab.profile.FunctionShares.percent;

/** One profile on a page of its own ({@code lab profile --html}): its flame graph and its functions' shares. */
public final class ProfilePage {
    /** Functions listed under the graph. */
    static final int FUNCTIONS = 40;

    private ProfilePage() {}

    public static void write(Path out, String title, FoldedStacks stacks) throws IOException {
        FunctionShares shares = FunctionShares.of(stacks);
        long n = shares.samples();
        List<Map<String, String>> functions = new ArrayList<>();
        List<FunctionShares.Function> listed = shares.bySystemTime();
        for (FunctionShares.Function f : listed.subList(0, Math.min(FUNCTIONS, listed.size()))) {
            functions.add(Map.of("name", f.name(), "all", percent(f.inclusive(), n),
                    "system", percent(f.inclusiveSystem(), shares.system()), "self", percent(f.self(), n)));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", title);
        model.put("generated", Instant.now().toString());
        model.put("summary", String.format(Locale.ROOT, "%,d samples: system %s, user %s, idle %s.", n,
                percent(shares.system(), n), percent(shares.user(), n), percent(shares.idle(), n)));
        model.put("graph", FlameGraph.svg(title, stacks));
        model.put("functions", functions);
        model.put("flameWidth", FlameGraph.WIDTH);
        Files.writeString(out, HtmlReport.render("profile.html.ftl", model), StandardCharsets.UTF_8);
    }

}
