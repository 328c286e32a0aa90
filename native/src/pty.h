// The debuggee's terminal: gdb opens the slave side for the program (inferior-tty), the adapter reads
// the master, so the program's output never mixes with the GDB/MI stream on gdb's stdout.
#pragma once

#include <string>

namespace pwatch {

struct PtyHandles {
  int masterFd = -1;  // owned by the caller from here on
  int slaveFd = -1;   // kept open by the caller so reads never see EIO between runs
  std::string path;
  int err = 0;
  std::string message;
};

PtyHandles openProgramTerminal();

}  // namespace pwatch
