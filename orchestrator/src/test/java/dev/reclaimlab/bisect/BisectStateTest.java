package dev.reclaimlab.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BisectStateTest {
    @TempDir
    Path dir;

    @Test
    void whatIsSavedIsWhatIsLoadedAndTheAnalysisIsOnlyForReaders() throws Exception {
        SimulatedBisect.run(dir, 8, 3);
        BisectState loaded = BisectState.load(dir);
        loaded.save(dir.resolve("again"), loaded.analyze());
        assertEquals(loaded, BisectState.load(dir.resolve("again")));
        assertEquals(loaded.analyze(), BisectState.load(dir.resolve("again")).analyze(), "recomputed the same");
        String json = Files.readString(dir.resolve(BisectState.FILE));
        assertTrue(json.contains("\"analysis\"") && json.contains("\"path\""), "readers find verdicts and path");
        assertTrue(json.contains("\"went_down\" : \"REGRESSION\""), json.substring(0, 600));
    }

    @Test
    void aFolderWithoutABisectSaysSo() {
        IOException e = assertThrows(IOException.class, () -> BisectState.load(dir));
        assertTrue(e.getMessage().contains("no bisect here"), e.getMessage());
    }
}
