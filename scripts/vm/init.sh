#!/bin/busybox sh
# PID 1 of the test VM (busybox sh, in the initramfs). Builds the machine the tests see: the host's root file
# system (9p, read-only) under a tmpfs overlay that takes the writes, the usual kernel file systems inside it,
# and the results share (9p, writable) at /run/pwatch-vm. Then runs guest.js there in a chroot and powers off;
# QEMU exits with the guest, and the host reads the exit status guest.js left in the results share.
/bin/busybox --install -s /bin
export PATH=/bin

# The kernel gives /init a console only if the initramfs has /dev/console; devtmpfs brings one.
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1

fail() {
  echo "vm: init failed: $*"
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sys /sys
while read -r module; do
  insmod "/modules/$module" || fail "insmod $module"
done </modules/order

# msize: 9p's default (8 KiB on 6.1) makes every read of node, gdb and the tests a crawl. cache=loose: the
# host's files do not change under a test run.
P9=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$P9,cache=loose,ro" hostroot /lower || fail "mount hostroot"
mount -t tmpfs -o mode=0755 rw /rw && mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /root || fail "mount overlay"

R=/root
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $R/dev/pts || fail "mount devpts"
mount -t tmpfs -o mode=1777 shm $R/dev/shm
# /tmp stays the host's (read through the overlay, written to its tmpfs): a checkout there (CI clones into
# a temporary folder) must be visible to the guest.
mount -t tmpfs -o mode=0755 run $R/run
mkdir $R/run/pwatch-vm
mount -t 9p -o "$P9" results $R/run/pwatch-vm || fail "mount results"
# Loopback only: some tests talk to gdbserver on 127.0.0.1.
ifconfig lo 127.0.0.1 up

# The host wrote node's path and guest.js's path, one a line (paths may hold spaces).
{ read -r node; read -r guest; } <$R/run/pwatch-vm/command
chroot $R "$node" "$guest" /run/pwatch-vm/job.json
sync
poweroff -f
