package dev.reclaimlab.cli;

import dev.reclaimlab.vm.LabBoot;
import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List registered VMs and whether they run; with --kernels, the arm64 kernels that can be booted.")
final class VmListCommand implements Callable<Integer> {
    @Option(names = "--kernels", description = "List the Debian arm64 kernel ABIs apt offers now, and those in the cache.")
    boolean kernels;

    @Override
    public Integer call() throws Exception {
        VmRegistry registry = VmRegistry.fromEnvironment();
        if (kernels) {
            try {
                for (String line : dev.reclaimlab.vm.Kernels.describe(registry)) {
                    System.out.println(line);
                }
            } catch (VmException e) {
                throw VmCommand.error(e);
            }
            return ExitCodes.OK;
        }
        List<Vms.Status> all = new Vms(registry, line -> { }).list();
        if (all.isEmpty()) {
            System.out.println("no VMs; start one with: lab vm up [--name NAME]");
            return ExitCodes.OK;
        }
        String format = "%-12s %-8s %-10s %-16s %4s %7s %6s  %s%n";
        System.out.printf(format, "NAME", "STATE", "PID", "KERNEL", "CPUS", "MEMORY", "SSH", "CMDLINE");
        Vms vms = new Vms(registry, line -> { });
        for (Vms.Status s : all) {
            var r = s.record();
            Optional<LabBoot> once = s.running() ? vms.labBoot(r.name()) : Optional.empty();
            // a VM lab booted once shows what it runs now, marked; vm.json keeps its own kernel for the next boot
            String kernel = once.map(b -> b.abi() + "*").orElse(r.kernel() + (r.grub() ? "+" : ""));
            String cmdline = once.map(LabBoot::cmdline).orElse(r.cmdline());
            System.out.printf(format, r.name(), s.running() ? "running" : "stopped",
                    s.pid().map(String::valueOf).orElse("-"), kernel, r.cpus(), r.memoryMib() + "M",
                    r.sshPort(), cmdline.isBlank() ? "-" : cmdline);
        }
        if (all.stream().anyMatch(s -> s.record().grub())) {
            System.out.println("+ boots through UEFI firmware and GRUB (its default kernel; "
                    + String.join(", ", all.stream().filter(s -> s.record().grub())
                    .map(s -> s.record().name() + " also has " + String.join(" ", s.record().installed())).toList())
                    + "); lab boot --host NAME boots another once");
        }
        if (all.stream().anyMatch(s -> s.running() && labBooted(vms, s.record().name()))) {
            System.out.println("* booted once by lab (lab boot --host NAME --default, or lab vm down, brings its own "
                    + "kernel back)");
        }
        return ExitCodes.OK;
    }

    private static boolean labBooted(Vms vms, String name) {
        try {
            return vms.labBoot(name).isPresent();
        } catch (VmException | java.io.IOException e) {
            return false;
        }
    }
}
