# ${module}: rendered by reclaim-lab for ${kernel.release}
obj-m := ${module}.o
