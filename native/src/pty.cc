#include "pty.h"

#include <string.h>

#include "sys.h"

namespace pwatch {

PtyHandles openProgramTerminal() {
  PtyHandles handles;
  sys::PtyPair pty = sys::openRawPty();
  if (pty.err != 0) {
    handles.err = pty.err;
    handles.message = std::string(pty.failedCall) + " failed: " + strerror(pty.err);
    return handles;
  }
  handles.path = pty.slavePath;
  handles.masterFd = pty.master.release();
  handles.slaveFd = pty.slave.release();
  return handles;
}

}  // namespace pwatch
