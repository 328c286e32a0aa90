// errno → the short code and the human reason pwatch shows for a refused breakpoint event.
#pragma once

#include <string>

namespace pwatch {

// "EACCES", "ENOSPC", ...; "E<n>" for an errno without a name here.
std::string errnoCode(int err);

// Why a perf breakpoint event could not be opened, and what to do about it.
std::string perfOpenReason(int err, int paranoid);

// The human reason for a failed ioctl (MODIFY_ATTRIBUTES, ENABLE) on an open breakpoint event.
std::string perfIoctlReason(int err);

}  // namespace pwatch
