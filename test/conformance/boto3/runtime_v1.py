"""Lex V1 runtime (lex-runtime): PostText and PostContent as botocore sends them."""

import base64
import re

from common import L16_16K, LPCM_8K, V1_BOT, check, client_error, eq, error_is, ok, tone

V1_SESSION_ID = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[A-Za-z]{8}$')


@check('v1')
def post_text_order_flowers_dialog(ctx):
    lex = ctx.v1()
    user = ctx.sid('v1-order')
    say = lambda text: lex.post_text(**V1_BOT, userId=user, inputText=text)
    r = say('I would like to order some flowers')
    eq((r['dialogState'], r.get('slotToElicit'), r.get('intentName')), ('ElicitSlot', 'FlowerType', 'OrderFlowers'), 'first turn')
    ok(V1_SESSION_ID.match(r['sessionId']) and r['sessionId'] != user, f"sessionId is Lex's own, not the userId: {r['sessionId']!r}")
    ok(len(r['ResponseMetadata']['RequestId']) > 0, 'x-amzn-RequestId present')
    eq(say('roses').get('slotToElicit'), 'PickupDate', 'after roses')
    eq(say('tomorrow').get('slotToElicit'), 'PickupTime', 'after tomorrow')
    r = say('noon')
    eq(r['dialogState'], 'ConfirmIntent', 'after noon')
    eq(r['slots'], {'FlowerType': 'roses', 'PickupDate': '2026-11-23', 'PickupTime': '12:00'}, 'slots')
    r = say('yes')
    eq(r['dialogState'], 'Fulfilled', 'after yes')
    eq(r['sessionAttributes'], {'nexmo-close': 'true'}, 'session attributes on close')
    ok('roses' in r['message'], 'closing message names the flowers')


@check('v1')
def post_text_agent_dialog_and_alternatives(ctx):
    lex = ctx.v1()
    r = lex.post_text(**V1_BOT, userId=ctx.sid('v1-agent'), inputText='I want to talk to an agent', sessionAttributes={'tenant': 't1'})
    eq((r['intentName'], r['dialogState']), ('Agent', 'Fulfilled'), 'agent turn')
    eq(r['sessionAttributes'], {'tenant': 't1', 'handoff': 'agent', 'nexmo-close': 'true'}, 'hand-off attributes')
    ok(r['nluIntentConfidence']['score'] > 0.5, 'confidence of the interpreted intent')
    for alt in r.get('alternativeIntents', []):
        ok(alt['intentName'] != 'Agent' and 0 <= alt['nluIntentConfidence']['score'] <= 1, f'alternative intent {alt}')


@check('v1')
def post_content_text_plain_headers(ctx):
    lex = ctx.v1()
    r = lex.post_content(**V1_BOT, userId=ctx.sid('v1-content-text'), contentType='text/plain; charset=utf-8', accept='text/plain; charset=utf-8', inputStream=b'order flowers')
    eq(r['dialogState'], 'ElicitSlot', 'dialog state')
    ok(r.get('message') and 'What type of flowers' in r['message'], f"plain x-amz-lex-message: {r.get('message')!r}")
    eq(base64.b64decode(r['encodedMessage']).decode(), r['message'], 'encoded message = message')
    eq(r.get('inputTranscript'), 'order flowers', 'plain x-amz-lex-input-transcript')
    eq(base64.b64decode(r['encodedInputTranscript']).decode(), 'order flowers', 'encoded transcript')
    eq(r['slots'], {'FlowerType': None, 'PickupDate': None, 'PickupTime': None}, 'slots (base64 JSON header)')
    ok(len(r['ResponseMetadata']['RequestId']) > 0, 'x-amzn-RequestId present')
    eq(r['audioStream'].read(), b'', 'no audio for a text answer')


@check('v1')
def post_content_audio_16k_and_8k(ctx):
    lex = ctx.v1()
    user = ctx.sid('v1-content-audio')
    ctx.script(user, 'I want tulips', 'friday')
    pcm = tone(16000, 500)
    r = lex.post_content(**V1_BOT, userId=user, contentType=L16_16K, accept='audio/pcm', inputStream=pcm)
    eq((r['dialogState'], r.get('slotToElicit')), ('ElicitSlot', 'PickupDate'), 'turn from the scripted transcript')
    eq(r['contentType'], 'audio/pcm', 'content type')
    audio = r['audioStream'].read()
    ok(len(audio) > 16000 and len(audio) % 2 == 0, f'16 kHz PCM reply, {len(audio)} bytes')
    rec = ctx.control('GET', f'sessions/{user}/recordings')['recordings'][-1]
    eq((rec['sampleRateHz'], base64.b64decode(rec['pcm'])), (16000, pcm), 'recording is the bytes sent')
    r = lex.post_content(**V1_BOT, userId=user, contentType=LPCM_8K, accept='audio/pcm', inputStream=tone(8000, 300))
    eq(r.get('slotToElicit'), 'PickupTime', '8 kHz turn')
    eq(ctx.control('GET', f'sessions/{user}/recordings')['recordings'][-1]['sampleRateHz'], 8000, '8 kHz recording')
    e = client_error(lambda: lex.post_content(**V1_BOT, userId=user, contentType='audio/lpcm; sample-rate=8000', inputStream=tone(8000, 100)))
    error_is(e, 'UnsupportedMediaTypeException', 415, 'short lpcm form')
