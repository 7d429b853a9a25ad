"""Shared helpers of the boto3 conformance checks: clients, the control API, assertions.

Requests are made and signed by botocore exactly as it does against AWS; the only
configuration is the endpoint URL, the demo key pair, the region and retry/timeout
settings. The emulator's control API (unsigned, under /_emulator/) arms faults and
scripts transcripts, as its docs describe.
"""

import base64
import gzip
import json
import math
import struct
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

DEMO_KEY = ('AKIALEXEMULATORDEMO1', 'lex-emulator-demo-secret-not-for-aws-0000')
V1_BOT = {'botName': 'OrderFlowers', 'botAlias': '$LATEST'}
V2_BOT = {'botId': 'ORDERFLWRS', 'botAliasId': 'TSTALIASID', 'localeId': 'en_US'}
LPCM_8K = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false'
L16_16K = 'audio/l16; rate=16000; channels=1'

CHECKS = []


def check(area):
    """Registers a check function under an area."""

    def register(fn):
        CHECKS.append((area, fn.__name__, fn))
        return fn

    return register


class Ctx:
    """One run against one emulator URL."""

    def __init__(self, url):
        self.url = url.rstrip('/')
        self.run = uuid.uuid4().hex[:8]

    def sid(self, name):
        """A session id unique to this run (pattern [0-9a-zA-Z._:-]+)."""
        return f'{name}-{self.run}'

    def client(self, service, key=DEMO_KEY, attempts=1, mode='standard', validate=True, read_timeout=30):
        retries = {'mode': mode, 'total_max_attempts': attempts} if mode == 'standard' else {'mode': mode, 'max_attempts': attempts - 1}
        session = boto3.session.Session(aws_access_key_id=key[0], aws_secret_access_key=key[1], region_name='us-east-1')
        config = Config(retries=retries, parameter_validation=validate, read_timeout=read_timeout, connect_timeout=5)
        return session.client(service, endpoint_url=self.url, config=config)

    def v1(self, **kw):
        return self.client('lex-runtime', **kw)

    def v2(self, **kw):
        return self.client('lexv2-runtime', **kw)

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f'{self.url}/_emulator/{path}', data=data, method=method, headers={'content-type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b'{}')

    def script(self, session_id, *transcripts):
        self.control('POST', f'sessions/{session_id}/script', {'transcripts': list(transcripts)})

    def fault(self, session_id, fault, times=1):
        self.control('POST', f'sessions/{session_id}/faults', {'faults': [{'fault': fault, 'times': times}]})


def eq(actual, expected, what):
    if actual != expected:
        raise AssertionError(f'{what}: expected {expected!r}, got {actual!r}')


def ok(cond, what):
    if not cond:
        raise AssertionError(what)


def client_error(call):
    """Runs `call`, which must raise botocore's ClientError; returns it."""
    try:
        call()
    except ClientError as e:
        return e
    raise AssertionError('expected a ClientError, the call succeeded')


def error_is(e, code, status, what):
    eq(e.response['Error']['Code'], code, f'{what}: error code')
    eq(e.response['ResponseMetadata']['HTTPStatusCode'], status, f'{what}: HTTP status')


def gz(obj):
    """gzip then base64 of JSON: how Lex V2 carries state in headers."""
    return base64.b64encode(gzip.compress(json.dumps(obj).encode())).decode()


def ungz(value):
    return json.loads(gzip.decompress(base64.b64decode(value)))


def tone(rate_hz, ms, freq=220.0):
    """16-bit little-endian PCM of a sine tone."""
    n = rate_hz * ms // 1000
    return b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * freq * i / rate_hz))) for i in range(n))


def slot(value):
    return {'value': {'originalValue': value, 'interpretedValue': value, 'resolvedValues': [value]}}
