// Reads the records a perf ring buffer holds and hands the space back to the kernel. Only the sample
// layout that slots ask for (IDENTIFIER | IP | TID | TIME, and REGS_USER for stopping slots) and the loss
// records are decoded.
#pragma once

#include <cstdint>
#include <vector>

#include "sys.h"

namespace pwatch {

struct DecodedSample {
  uint64_t id;    // the parent event's id: the kernel reports inherited children under their parent's id
  uint64_t ip;    // the instruction after the access (x86 traps after it)
  uint32_t pid;
  uint32_t tid;
  uint64_t time;  // CLOCK_MONOTONIC nanoseconds
  size_t regs;    // index of this sample's registers in the reader's register vector (regCount of them)
};

struct RingCounts {
  uint64_t lost = 0;       // samples the kernel dropped because the buffer was full
  uint64_t throttled = 0;  // times the kernel throttled an event for exceeding its sample rate
};

// Consumes everything between data_tail and data_head. Safe against a concurrent kernel writer.
// `regCount` registers follow each sample (0 for none); they are appended to `regs` (zeros when the kernel
// could not take them, e.g. the access came from a kernel thread).
void readRing(const sys::RingMapping& ring, size_t regCount, std::vector<DecodedSample>& samples,
              std::vector<uint64_t>& regs, RingCounts& counts);

}  // namespace pwatch
