package dev.reclaimlab.cli;

import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Show a VM's serial console log: kernel messages (OOM kills, warnings, panics), the boot "
                + "script and the SSH server. The log of the boot before is console.log.1 beside it."})
final class VmConsoleCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "The VM (default: ${DEFAULT-VALUE}).")
    String name = VmCommand.DEFAULT_NAME;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many of the last lines (default: ${DEFAULT-VALUE}; 0: all).")
    int lines = 50;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what the console writes, until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Path log;
        try {
            log = new Vms(VmRegistry.fromEnvironment(), line -> { }).console(name);
        } catch (VmException e) {
            throw VmCommand.error(e);
        }
        System.err.println("# " + log);
        if (!Files.exists(log)) {
            System.err.println("# (no console log yet: the VM has not been booted)");
            return ExitCodes.OK;
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        String[] all = text.split("\n", -1);
        int from = lines <= 0 ? 0 : Math.max(0, all.length - 1 - lines);
        StringBuilder out = new StringBuilder();
        for (int i = from; i < all.length - 1; i++) {
            out.append(all[i]).append('\n');
        }
        out.append(all[all.length - 1]);
        System.out.print(out);
        System.out.flush();
        if (follow) {
            follow(log, text.getBytes(StandardCharsets.UTF_8).length);
        }
        return ExitCodes.OK;
    }

    /** Prints what is appended to {@code log} from {@code offset} on; starts over when a new boot replaces it. */
    private static void follow(Path log, long offset) throws IOException, InterruptedException {
        long position = offset;
        Object key = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        while (true) {
            Thread.sleep(200);
            if (!Files.exists(log)) {
                continue;
            }
            Object now = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (key != null && !key.equals(now)) {
                System.out.println("\n# (a new boot: " + log + " was replaced)");
                key = now;
                position = 0;
            }
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                if (f.length() < position) {
                    position = 0;
                }
                if (f.length() > position) {
                    byte[] bytes = new byte[(int) Math.min(1 << 20, f.length() - position)];
                    f.seek(position);
                    f.readFully(bytes);
                    position += bytes.length;
                    System.out.write(bytes);
                    System.out.flush();
                }
            }
        }
    }
}
