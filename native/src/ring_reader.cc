#include "ring_reader.h"

#include <linux/perf_event.h>
#include <string.h>

namespace pwatch {

namespace {

// Copies `length` bytes at logical offset `offset` out of a ring of `size` bytes (a power of two).
void copyOut(const uint8_t* data, uint64_t size, uint64_t offset, void* out, size_t length) {
  uint64_t start = offset & (size - 1);
  size_t first = static_cast<size_t>(size - start) < length ? static_cast<size_t>(size - start) : length;
  memcpy(out, data + start, first);
  if (first < length) memcpy(static_cast<uint8_t*>(out) + first, data, length - first);
}

struct SampleBody {
  uint64_t id;
  uint64_t ip;
  uint32_t pid;
  uint32_t tid;
  uint64_t time;
};

struct LostBody {
  uint64_t id;
  uint64_t lost;
};

}  // namespace

void readRing(const sys::RingMapping& ring, size_t regCount, std::vector<DecodedSample>& samples,
              std::vector<uint64_t>& regs, RingCounts& counts) {
  if (!ring.valid()) return;
  auto* control = static_cast<perf_event_mmap_page*>(ring.base());
  size_t page = sys::pageSize();
  uint64_t dataOffset = control->data_offset != 0 ? control->data_offset : page;
  uint64_t dataSize = control->data_size != 0 ? control->data_size : ring.size() - page;
  const uint8_t* data = static_cast<const uint8_t*>(ring.base()) + dataOffset;

  // Acquire pairs with the kernel's release of data_head: the records below it are complete.
  uint64_t head = __atomic_load_n(&control->data_head, __ATOMIC_ACQUIRE);
  uint64_t tail = control->data_tail;
  while (tail < head) {
    perf_event_header header;
    copyOut(data, dataSize, tail, &header, sizeof(header));
    if (header.size < sizeof(header)) break;  // never happens with a sane kernel; avoids looping forever
    if (header.type == PERF_RECORD_SAMPLE && header.size >= sizeof(header) + sizeof(SampleBody)) {
      SampleBody body;
      copyOut(data, dataSize, tail + sizeof(header), &body, sizeof(body));
      size_t at = regs.size();
      regs.resize(at + regCount, 0);
      // PERF_SAMPLE_REGS_USER: an ABI word, then the registers when the ABI is not PERF_SAMPLE_REGS_ABI_NONE.
      uint64_t offset = tail + sizeof(header) + sizeof(body);
      if (regCount > 0 && header.size >= sizeof(header) + sizeof(body) + sizeof(uint64_t) * (1 + regCount)) {
        uint64_t abi = 0;
        copyOut(data, dataSize, offset, &abi, sizeof(abi));
        if (abi != 0) copyOut(data, dataSize, offset + sizeof(abi), regs.data() + at, sizeof(uint64_t) * regCount);
      }
      samples.push_back({body.id, body.ip, body.pid, body.tid, body.time, at});
    } else if (header.type == PERF_RECORD_LOST && header.size >= sizeof(header) + sizeof(LostBody)) {
      LostBody body;
      copyOut(data, dataSize, tail + sizeof(header), &body, sizeof(body));
      counts.lost += body.lost;
    } else if (header.type == PERF_RECORD_THROTTLE) {
      counts.throttled++;
    }
    tail += header.size;
  }
  // Release: the kernel may overwrite the space only after we finished reading it.
  __atomic_store_n(&control->data_tail, tail, __ATOMIC_RELEASE);
}

}  // namespace pwatch
