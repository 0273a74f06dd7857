package dev.reclaimlab.plan;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Fan-out under a cgroup: {@code count} children named {@code prefix01, prefix02, ...} (zero-padded to the
 * width of the count so they sort), each with its own optional limits. Models a kubepods parent with its pods.
 */
public record ChildrenSpec(int count, String prefix, Optional<Limit> memoryLimit, Optional<Integer> swappiness,
                           Optional<Limit> swapMax) {

    public List<String> names() {
        int width = Math.max(2, Integer.toString(count).length());
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + String.format("%0" + width + "d", i)).toList();
    }
}
