package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** lab analyze --json prints, without Jackson's object mapper, exactly what lab run stores through it. */
class MetricsJsonTest {
    static Stream<Path> traces() throws Exception {
        return TestTraces.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void sameTextAsTheMapper(Path trace) throws Exception {
        TraceMetrics metrics = TestTraces.analyze(trace);
        StringWriter out = new StringWriter();

        MetricsJson.write(metrics, out);

        assertEquals(TestTraces.json(metrics), out.toString());
    }
}
