"""Docker HEALTHCHECK: exit 0 when GET http://127.0.0.1:$PORT$HEALTHCHECK_PATH answers 2xx.

python3 instead of curl: the image carries no HTTP client, and this one adds nothing to it.
"""

import os
import sys
import urllib.error
import urllib.request


def main():
    url = "http://127.0.0.1:{}{}".format(os.environ.get("PORT") or "8000", os.environ.get("HEALTHCHECK_PATH") or "/healthz")
    try:
        # No proxy: a proxy from the environment must not stand between us and 127.0.0.1.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=2.5) as response:
            print(response.status, response.read(500).decode(errors="replace"))
            return 0
    except urllib.error.HTTPError as e:
        print(e.code, e.read(500).decode(errors="replace"))
    except OSError as e:
        print(f"{url}: {e}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
