"""Memory of one benchmark step, from Linux's /proc: the resident set now, and its peak since a reset."""

import resource

MB = 1024 * 1024


def status(field: str) -> int:
    """A size from /proc/self/status in bytes, e.g. "VmRSS:" (resident now) or "VmHWM:" (peak); 0 if absent."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> bool:
    """Start the peak over from the current resident set; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_since(reset: bool) -> int:
    """The peak resident set since `reset_peak` (when it worked), else since the process started."""
    return status("VmHWM:") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
