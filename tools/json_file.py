"""Writing JSON files the way lstmsim does (sim/model_io.cpp
write_json_file_atomic): the whole file or nothing. Shared by the Python tools
in this folder, which import it from next to themselves."""
import json
import os
import tempfile


def write_json_atomic(path, data):
    """Writes data to a temporary file next to path, then renames it over path,
    so a failed run leaves no half-written file. NaN and infinity are refused
    (they are not JSON). The file gets the usual 0666 & ~umask mode."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=os.path.basename(path) + ".tmp-")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, allow_nan=False)
            f.write("\n")
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
