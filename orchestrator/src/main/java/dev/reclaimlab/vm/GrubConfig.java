package dev.reclaimlab.vm;

import java.util.List;

/**
 * The boot partition's {@code grub/grub.cfg} of a VM that boots through GRUB: what {@code update-grub} writes on a
 * Debian server, reduced to the parts lab's boot control relies on there too. The environment block's
 * {@code next_entry} is booted once and cleared by GRUB itself before it boots it (so a kernel that never comes back
 * is not booted again after a power cycle), and {@code custom.cfg} next to grub.cfg is read last, which is where lab
 * adds the entries it boots once.
 */
final class GrubConfig {
    /** One kernel the VM has installed, as GRUB boots it. */
    record Entry(String id, String release, String cmdline) {
        String kernelFile() {
            return "/vmlinuz-" + release;
        }

        String initrdFile() {
            return "/initrd.img-" + release;
        }
    }

    private GrubConfig() {}

    /** The menu entry id update-grub gives a kernel: lab's boot control finds entries by id, never by position. */
    static String entryId(String release, String bootUuid) {
        return "gnulinux-" + release + "-advanced-" + bootUuid;
    }

    /** The whole file: the first entry is the default. */
    static String render(String vmName, String bootUuid, List<Entry> entries) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("# grub.cfg of lab vm ").append(vmName).append(", written when the VM was made: the parts of a "
                + "Debian server's\n# update-grub output that one-time boots depend on.\n");
        cfg.append("""
                if [ -s $prefix/grubenv ]; then
                  set have_grubenv=true
                  load_env
                fi
                if [ "${next_entry}" ] ; then
                   set default="${next_entry}"
                   set next_entry=
                   save_env next_entry
                   set boot_once=true
                else
                   set default="%s"
                fi
                set timeout_style=menu
                set timeout=1
                terminal_input console
                terminal_output console
                """.formatted(entries.get(0).id()));
        for (Entry e : entries) {
            cfg.append("""
                    menuentry 'Debian GNU/Linux, with Linux %1$s' --class debian --id '%2$s' {
                    \tinsmod part_gpt
                    \tinsmod ext2
                    \tsearch --no-floppy --fs-uuid --set=root %3$s
                    \techo\t'Loading Linux %1$s ...'
                    \tlinux\t%4$s %5$s
                    \techo\t'Loading initial ramdisk ...'
                    \tinitrd\t%6$s
                    }
                    """.formatted(e.release(), e.id(), bootUuid, e.kernelFile(), e.cmdline(), e.initrdFile()));
        }
        cfg.append("""
                ### BEGIN /etc/grub.d/41_custom ###
                if [ -f  ${config_directory}/custom.cfg ]; then
                  source ${config_directory}/custom.cfg
                elif [ -z "${config_directory}" -a -f  $prefix/custom.cfg ]; then
                  source $prefix/custom.cfg
                fi
                ### END /etc/grub.d/41_custom ###
                """);
        return cfg.toString();
    }

    /** The file on the ESP that Debian's signed GRUB reads first: it finds the boot partition and its grub.cfg. */
    static String espStub(String bootUuid) {
        return "search.fs_uuid " + bootUuid + " root\nset prefix=($root)'/grub'\nconfigfile $prefix/grub.cfg\n";
    }

    /** An empty GRUB environment block: exactly 1024 bytes, padded with {@code #}, as grub-editenv makes it. */
    static byte[] emptyEnvironment() {
        String header = "# GRUB Environment Block\n";
        return (header + "#".repeat(1024 - header.length())).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
