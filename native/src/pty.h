// The debuggee's terminal: gdb opens the slave side for the program (inferior-tty), the adapter reads
// the master, so the program's output never mixes with the GDB/MI stream on gdb's stdout.
//
// A holder process owns the pty as its controlling terminal. gdb then cannot make it the program's
// controlling terminal (it warns and goes on), so closing the master later never sends the program
// SIGHUP: a program detached from keeps running after the adapter is gone.
#pragma once

#include <string>

namespace pwatch {

struct PtyHandles {
  int masterFd = -1;  // owned by the caller from here on
  int holderPid = -1;      // reaped by the caller (reapChild) after closing holderReleaseFd
  int holderReleaseFd = -1;
  std::string path;
  int err = 0;
  std::string message;
};

PtyHandles openProgramTerminal();

}  // namespace pwatch
