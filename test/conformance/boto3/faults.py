"""Injected faults as botocore's retry logic sees them: throttling and 5xx are retried,
the final error surfaces with AWS's code, timeouts are retried, access denied is not."""

from botocore.exceptions import ReadTimeoutError, ResponseStreamingError

from common import V1_BOT, V2_BOT, check, client_error, eq, error_is, ok, tone

THROTTLE = {'type': 'throttle'}


def retries(r):
    return r['ResponseMetadata']['RetryAttempts']


@check('faults')
def throttling_is_retried_then_surfaces(ctx):
    for mode in ('standard', 'legacy'):
        sid = ctx.sid(f'throttle-{mode}')
        lex = ctx.v2(attempts=3, mode=mode)
        ctx.fault(sid, THROTTLE, times=1)
        eq(retries(lex.recognize_text(**V2_BOT, sessionId=sid, text='hi')), 1, f'{mode}: one throttled attempt, then success')
        ctx.fault(sid, THROTTLE, times=3)
        e = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=sid, text='hi'))
        error_is(e, 'ThrottlingException', 429, f'{mode}: final error')
        eq(retries(e.response), 2, f'{mode}: retried twice')
    sid = ctx.sid('throttle-v1')
    v1 = ctx.v1(attempts=2, mode='standard')
    ctx.fault(sid, THROTTLE, times=2)
    e = client_error(lambda: v1.post_text(**V1_BOT, userId=sid, inputText='hi'))
    error_is(e, 'LimitExceededException', 429, 'V1 final error')
    eq(retries(e.response), 1, 'V1 LimitExceededException is retried as throttling')


@check('faults')
def server_errors_are_retried_then_surface(ctx):
    lex = ctx.v2(attempts=2)
    for status, code in [(500, 'InternalServerException'), (502, 'BadGatewayException'), (503, 'ServiceUnavailableException')]:
        sid = ctx.sid(f'err-{status}')
        ctx.fault(sid, {'type': 'error', 'status': status}, times=1)
        eq(retries(lex.recognize_text(**V2_BOT, sessionId=sid, text='hi')), 1, f'{status} retried')
        ctx.fault(sid, {'type': 'error', 'status': status}, times=2)
        error_is(client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=sid, text='hi')), code, status, f'{status} final error')
    sid = ctx.sid('err-v1')
    ctx.fault(sid, {'type': 'error', 'status': 500}, times=2)
    e = client_error(lambda: ctx.v1(attempts=2, mode='legacy').post_text(**V1_BOT, userId=sid, inputText='hi'))
    error_is(e, 'InternalFailureException', 500, 'V1 500')
    eq(retries(e.response), 1, 'V1 500 retried')


@check('faults')
def access_denied_is_not_retried(ctx):
    sid = ctx.sid('denied')
    ctx.fault(sid, {'type': 'accessDenied'}, times=1)
    e = client_error(lambda: ctx.v2(attempts=3).recognize_text(**V2_BOT, sessionId=sid, text='hi'))
    error_is(e, 'AccessDeniedException', 403, 'access denied')
    eq(retries(e.response), 0, 'not retried')


@check('faults')
def timeouts_are_retried_then_surface(ctx):
    sid = ctx.sid('hang')
    lex = ctx.v2(attempts=2, read_timeout=3)
    ctx.fault(sid, {'type': 'hang'}, times=1)
    eq(retries(lex.recognize_text(**V2_BOT, sessionId=sid, text='hi')), 1, 'a hung request is retried after the read timeout')
    ctx.fault(sid, {'type': 'hang'}, times=2)
    try:
        lex.recognize_text(**V2_BOT, sessionId=sid, text='hi')
        raise AssertionError('expected a read timeout')
    except ReadTimeoutError:
        pass


@check('faults')
def reset_mid_body_fails_the_read(ctx):
    sid = ctx.sid('reset')
    ctx.fault(sid, {'type': 'reset'}, times=1)
    r = ctx.v1().post_content(**V1_BOT, userId=sid, contentType='text/plain; charset=utf-8', accept='audio/pcm', inputStream=b'order flowers')
    try:
        r['audioStream'].read()
        raise AssertionError('expected the body read to fail')
    except ResponseStreamingError:
        pass
    ok(True, 'reset surfaced')
