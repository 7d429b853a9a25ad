"""Runs the boto3 conformance checks of one area against an emulator.

Usage: python3 run.py URL AREA    (AREA: v1, v2, sessions, errors, faults)
Prints one JSON object: the Python/boto3/botocore versions and each check's outcome.
"""

import json
import sys
import time
import traceback

import boto3
import botocore
import botocore.session

import common
import errors  # noqa: F401  (registers checks)
import faults  # noqa: F401
import runtime_v1  # noqa: F401
import runtime_v2  # noqa: F401
import sessions  # noqa: F401


def main():
    url, area = sys.argv[1], sys.argv[2]
    ctx = common.Ctx(url)
    results = []
    for check_area, name, fn in common.CHECKS:
        if check_area != area:
            continue
        started = time.monotonic()
        try:
            fn(ctx)
            results.append({'name': name, 'ok': True})
        except Exception as e:  # a failed check is reported, never raised
            results.append({'name': name, 'ok': False, 'error': f'{type(e).__name__}: {e}', 'trace': traceback.format_exc(limit=4)})
        results[-1]['seconds'] = round(time.monotonic() - started, 2)
    services = botocore.session.get_session().get_available_services()
    print(json.dumps({
        'versions': {'python': sys.version.split()[0], 'boto3': boto3.__version__, 'botocore': botocore.__version__},
        'hasLexV2Runtime': 'lexv2-runtime' in services,
        'area': area,
        'checks': results,
    }))


if __name__ == '__main__':
    main()
