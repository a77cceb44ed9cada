# exit-status.py N COMMAND...: runs COMMAND, its output discarded, and
# succeeds only when it exits with status N.
import subprocess
import sys

status = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
if status != int(sys.argv[1]):
    sys.exit("expected exit status %s, got %d" % (sys.argv[1], status))
