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
  sys::IdleChild holder = sys::holdControllingTerminal(pty.slavePath);
  if (holder.pid < 0) {
    handles.err = holder.err;
    handles.message = std::string("fork failed: ") + strerror(holder.err);
    return handles;
  }
  handles.path = pty.slavePath;
  handles.masterFd = pty.master.release();
  handles.holderPid = holder.pid;
  handles.holderReleaseFd = holder.release.release();
  return handles;
}

}  // namespace pwatch
