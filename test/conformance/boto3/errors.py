"""Authentication and validation errors as AWS answers them."""

import json

from common import DEMO_KEY, V1_BOT, V2_BOT, check, client_error, eq, error_is, ok

SIG_MISMATCH = 'The request signature we calculated does not match the signature you provided.'


def tamper(client, on_sign=None, on_send=None):
    """Hooks botocore's own events: `before-sign` (the request about to be signed) and
    `before-send` (the signed request about to go out)."""
    events = client.meta.events
    if on_sign:
        events.register('before-sign', lambda request, **_: on_sign(request))
    if on_send:
        events.register('before-send', lambda request, **_: on_send(request))
    return client


def replace_body(request, body):
    request.body = body
    request.headers['Content-Length'] = str(len(body))


@check('errors')
def bad_secret_and_unknown_key(ctx):
    wrong = (DEMO_KEY[0], 'not-the-secret')
    e = client_error(lambda: ctx.v2(key=wrong).recognize_text(**V2_BOT, sessionId=ctx.sid('auth'), text='hi'))
    error_is(e, 'InvalidSignatureException', 403, 'V2 wrong secret')
    ok(e.response['Error']['Message'].startswith(SIG_MISMATCH), 'AWS message')
    error_is(client_error(lambda: ctx.v1(key=wrong).post_text(**V1_BOT, userId=ctx.sid('auth'), inputText='hi')), 'InvalidSignatureException', 403, 'V1 wrong secret')
    e = client_error(lambda: ctx.v2(key=('AKIANOTAKEY000000000', 'x')).recognize_text(**V2_BOT, sessionId=ctx.sid('auth'), text='hi'))
    error_is(e, 'UnrecognizedClientException', 403, 'unknown key')


@check('errors')
def body_not_covered_by_signature(ctx):
    other = json.dumps({'text': 'talk to an agent'}).encode()
    lex = tamper(ctx.v2(), on_send=lambda r: replace_body(r, other))
    e = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=ctx.sid('tamper-v2'), text='hello'))
    error_is(e, 'InvalidSignatureException', 403, 'V2 body swapped after signing')
    v1_body = json.dumps({'inputText': 'talk to an agent'}).encode()
    lex = tamper(ctx.v1(), on_send=lambda r: replace_body(r, v1_body))
    error_is(client_error(lambda: lex.post_text(**V1_BOT, userId=ctx.sid('tamper-v1'), inputText='hello')), 'InvalidSignatureException', 403, 'V1 body swapped')
    # Signed for an empty body, sent with a JSON body.
    saved = {}

    def empty(r):
        saved['body'] = r.data
        r.data = b''

    lex = tamper(ctx.v2(), on_sign=empty, on_send=lambda r: replace_body(r, saved['body']))
    e = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=ctx.sid('tamper-empty'), text='hello'))
    error_is(e, 'InvalidSignatureException', 403, 'signed empty, sent JSON')
    ok(ctx.control('GET', f"sessions/{ctx.sid('tamper-empty')}")['events'] == [], 'the refused request changed nothing')


@check('errors')
def signature_expired_and_not_yet_current(ctx):
    lex = ctx.v2()
    try:
        ctx.control('POST', 'clock', {'offsetMs': 10 * 60_000})
        e = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=ctx.sid('skew'), text='hi'))
        error_is(e, 'InvalidSignatureException', 403, 'request 10 minutes old')
        msg = e.response['Error']['Message']
        ok(msg.startswith('Signature expired: ') and ' is now earlier than ' in msg and msg.endswith(' - 5 min.)'), f'AWS message: {msg!r}')
        ctx.control('POST', 'clock', {'offsetMs': -10 * 60_000})
        msg = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=ctx.sid('skew'), text='hi')).response['Error']['Message']
        ok(msg.startswith('Signature not yet current: ') and msg.endswith(' + 5 min.)'), f'AWS message: {msg!r}')
        ctx.control('POST', 'clock', {'offsetMs': 4 * 60_000})
        eq(lex.recognize_text(**V2_BOT, sessionId=ctx.sid('skew'), text='hi')['sessionId'], ctx.sid('skew'), 'inside the 5-minute window')
    finally:
        ctx.control('POST', 'clock', {'offsetMs': 0})


def v(value, member, constraint):
    shown = 'Value' if value is None else f"Value '{value}'"
    return f"{shown} at '{member}' failed to satisfy constraint: {constraint}"


def one(detail):
    return f'1 validation error detected: {detail}'


@check('errors')
def validation_errors_in_aws_words(ctx):
    lex = ctx.v2(validate=False)
    cases = [
        ('a', 'hi', one(v('a', 'sessionId', 'Member must have length greater than or equal to 2'))),
        ('bad@id', 'hi', one(v('bad@id', 'sessionId', 'Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+'))),
        ('x' * 101, 'hi', one(v('x' * 101, 'sessionId', 'Member must have length less than or equal to 100'))),
        ('ok-id', 'y' * 1025, one(v(None, 'text', 'Member must have length less than or equal to 1024'))),
        ('a', 'y' * 1025, '2 validation errors detected: ' + v('a', 'sessionId', 'Member must have length greater than or equal to 2')
         + '; ' + v(None, 'text', 'Member must have length less than or equal to 1024')),
    ]
    for sid, text, message in cases:
        e = client_error(lambda: lex.recognize_text(**V2_BOT, sessionId=sid, text=text))
        error_is(e, 'ValidationException', 400, f'sessionId {sid[:12]!r}')
        eq(e.response['Error']['Message'], message, 'message')
    v1 = ctx.v1(validate=False)
    e = client_error(lambda: v1.post_text(**V1_BOT, userId='u', inputText='hi'))
    error_is(e, 'BadRequestException', 400, 'V1 userId of 1 character')
    eq(e.response['Error']['Message'], one(v('u', 'userId', 'Member must have length greater than or equal to 2')), 'V1 message')
    e = client_error(lambda: v1.post_text(**V1_BOT, userId='ok-user', inputText='z' * 1025))
    eq(e.response['Error']['Message'], one(v(None, 'inputText', 'Member must have length less than or equal to 1024')), 'V1 inputText')
    e = client_error(lambda: lex.put_session(**V2_BOT, sessionId='ok-id'))
    error_is(e, 'ValidationException', 400, 'PutSession without sessionState')
    eq(e.response['Error']['Message'], "1 validation error detected: Value null at 'sessionState' failed to satisfy constraint: Member must not be null", 'message')


@check('errors')
def bad_bot_id_is_400_unknown_resources_404(ctx):
    lex = ctx.v2(validate=False)
    for bot_id, constraint in [('ORDERFLOWERS1', 'Member must have length less than or equal to 10'),
                               ('ORDER-FLWR', 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z]+$')]:
        e = client_error(lambda: lex.recognize_text(botId=bot_id, botAliasId='TSTALIASID', localeId='en_US', sessionId='ok-id', text='hi'))
        error_is(e, 'ValidationException', 400, f'botId {bot_id}')
        eq(e.response['Error']['Message'], one(v(bot_id, 'botId', constraint)), 'message')
    for what, params in [('bot', {'botId': 'NOSUCHBOT1'}), ('alias', {'botAliasId': 'NOSUCHALIA'}), ('locale', {'localeId': 'fr_FR'})]:
        e = client_error(lambda: lex.recognize_text(**{**V2_BOT, **params}, sessionId='ok-id', text='hi'))
        error_is(e, 'ResourceNotFoundException', 404, f'unknown {what}')
    v1 = ctx.v1()
    error_is(client_error(lambda: v1.post_text(botName='OrderFlowers', botAlias='prod', userId='ok-user', inputText='hi')), 'NotFoundException', 404, 'V1 unknown alias')
    error_is(client_error(lambda: v1.post_text(botName='NoSuchBot', botAlias='$LATEST', userId='ok-user', inputText='hi')), 'NotFoundException', 404, 'V1 unknown bot')


@check('errors')
def text_limit_applies_to_streamed_text(ctx):
    long = b'w' * 1025
    e = client_error(lambda: ctx.v2().recognize_utterance(**V2_BOT, sessionId='ok-id', requestContentType='text/plain; charset=utf-8', inputStream=long))
    error_is(e, 'ValidationException', 400, 'RecognizeUtterance text over 1024 characters')
    e = client_error(lambda: ctx.v1().post_content(**V1_BOT, userId='ok-user', contentType='text/plain; charset=utf-8', inputStream=long))
    error_is(e, 'BadRequestException', 400, 'PostContent text over 1024 characters')
    r = ctx.v2().recognize_utterance(**V2_BOT, sessionId=ctx.sid('limit'), requestContentType='text/plain; charset=utf-8', inputStream=b'w' * 1024)
    eq(r['inputMode'], 'Text', '1024 characters are accepted')
