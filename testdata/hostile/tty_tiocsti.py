# hostile: pushes keystrokes into the terminal (TIOCSTI) on stdin and /dev/tty
# modes: exec validate integration
# expect: contained
import fcntl, os, termios
from _common import escaped, contained
for fd in (0, 1, 2):
    try:
        fcntl.ioctl(fd, termios.TIOCSTI, b"x")
        escaped("TIOCSTI worked on fd %d" % fd)
    except OSError:
        pass
try:
    fd = os.open("/dev/tty", os.O_RDWR)
    fcntl.ioctl(fd, termios.TIOCSTI, b"x")
    escaped("TIOCSTI worked on /dev/tty")
except OSError:
    pass
contained("no TIOCSTI")
