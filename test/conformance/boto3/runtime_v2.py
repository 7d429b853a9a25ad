"""Lex V2 runtime (lexv2-runtime): RecognizeText and RecognizeUtterance as botocore sends them."""

import base64

from common import LPCM_8K, V2_BOT, check, eq, gz, ok, slot, tone, ungz


def names(interpretations):
    return [i['intent']['name'] for i in interpretations]


@check('v2')
def recognize_text_order_flowers_dialog(ctx):
    lex = ctx.v2()
    sid = ctx.sid('v2-order')
    say = lambda text: lex.recognize_text(**V2_BOT, sessionId=sid, text=text)
    r = say('I want to order flowers')
    eq(r['sessionState']['dialogAction'], {'type': 'ElicitSlot', 'slotToElicit': 'FlowerType'}, 'first turn')
    eq(r['sessionState']['originatingRequestId'], r['ResponseMetadata']['RequestId'], 'originatingRequestId is the x-amzn-RequestId')
    eq(r['sessionId'], sid, 'sessionId')
    interp = r['interpretations']
    eq(interp[0]['intent']['name'], 'OrderFlowers', 'top interpretation')
    ok('score' in interp[0]['nluConfidence'], 'top interpretation has a confidence')
    ok('FallbackIntent' in names(interp) and len(interp) <= 5, f'FallbackIntent among the interpretations: {names(interp)}')
    say('lilies')
    say('friday')
    r = say('noon')
    eq(r['sessionState']['dialogAction']['type'], 'ConfirmIntent', 'after noon')
    eq(r['sessionState']['intent']['slots']['PickupDate']['value']['interpretedValue'], '2026-11-27', 'PickupDate')
    r = say('yes please')
    eq((r['sessionState']['dialogAction']['type'], r['sessionState']['intent']['state']), ('Close', 'Fulfilled'), 'after yes')
    ok('lilies' in r['messages'][0]['content'], 'closing message names the flowers')


@check('v2')
def recognize_text_continues_from_client_session_state(ctx):
    lex = ctx.v2()
    state = {
        'dialogAction': {'type': 'ElicitSlot', 'slotToElicit': 'PickupTime'},
        'intent': {'name': 'OrderFlowers', 'state': 'InProgress', 'confirmationState': 'None',
                   'slots': {'FlowerType': slot('roses'), 'PickupDate': slot('2026-12-01')}},
        'sessionAttributes': {'tenant': 't1'},
    }
    r = lex.recognize_text(**V2_BOT, sessionId=ctx.sid('v2-state'), text='noon', sessionState=state)
    s = r['sessionState']
    eq(s['dialogAction']['type'], 'ConfirmIntent', 'dialog action after noon')
    eq(s['intent']['name'], 'OrderFlowers', 'intent kept')
    eq({k: v['value']['interpretedValue'] for k, v in s['intent']['slots'].items()},
       {'FlowerType': 'roses', 'PickupDate': '2026-12-01', 'PickupTime': '12:00'}, 'slots')
    eq(s['sessionAttributes'], {'tenant': 't1'}, 'session attributes')


@check('v2')
def recognize_text_agent_dialog(ctx):
    lex = ctx.v2()
    r = lex.recognize_text(**V2_BOT, sessionId=ctx.sid('v2-agent'), text='talk to an agent', requestAttributes={'channel': 'voice'})
    s = r['sessionState']
    eq((s['intent']['name'], s['intent']['state'], s['dialogAction']['type']), ('Agent', 'Fulfilled', 'Close'), 'agent turn')
    eq(s['sessionAttributes'], {'handoff': 'agent', 'nexmo-close': 'true'}, 'hand-off attributes')
    eq(r['requestAttributes'], {'channel': 'voice'}, 'request attributes echoed')


@check('v2')
def recognize_utterance_text_with_gzip_headers(ctx):
    lex = ctx.v2()
    r = lex.recognize_utterance(**V2_BOT, sessionId=ctx.sid('v2-utt-text'), requestContentType='text/plain; charset=utf-8',
                                responseContentType='text/plain; charset=utf-8', inputStream=b'I want roses',
                                sessionState=gz({'sessionAttributes': {'tenant': 't2'}}), requestAttributes=gz({'channel': 'voice'}))
    eq(r['inputMode'], 'Text', 'input mode')
    state = ungz(r['sessionState'])
    eq(state['dialogAction'], {'type': 'ElicitSlot', 'slotToElicit': 'PickupDate'}, 'dialog action')
    eq(state['sessionAttributes'], {'tenant': 't2'}, 'session attributes from the request header')
    eq(state['originatingRequestId'], r['ResponseMetadata']['RequestId'], 'originatingRequestId')
    eq(ungz(r['requestAttributes']), {'channel': 'voice'}, 'x-amz-lex-request-attributes returned')
    eq(ungz(r['inputTranscript']), 'I want roses', 'transcript')
    ok('FallbackIntent' in names(ungz(r['interpretations'])), 'interpretations header')
    ok('What day' in ungz(r['messages'])[0]['content'], 'messages header')


@check('v2')
def recognize_utterance_audio_8k_in_16k_and_8k_out(ctx):
    lex = ctx.v2()
    sid = ctx.sid('v2-utt-audio')
    ctx.script(sid, 'I would like to order some flowers', 'roses')
    pcm = tone(8000, 400)
    r = lex.recognize_utterance(**V2_BOT, sessionId=sid, requestContentType=LPCM_8K, responseContentType='audio/pcm', inputStream=pcm)
    eq(r['inputMode'], 'Speech', 'input mode')
    eq(ungz(r['inputTranscript']), 'I would like to order some flowers', 'transcript')
    audio16 = r['audioStream'].read()
    ok(len(audio16) > 32000 and len(audio16) % 2 == 0, f'16 kHz reply, {len(audio16)} bytes')
    rec = ctx.control('GET', f'sessions/{sid}/recordings')['recordings'][-1]
    eq((rec['sampleRateHz'], base64.b64decode(rec['pcm'])), (8000, pcm), 'recording is the bytes sent')
    r = lex.recognize_utterance(**V2_BOT, sessionId=sid, requestContentType=LPCM_8K, responseContentType='audio/pcm; sample-rate=8000', inputStream=pcm)
    eq(ungz(r['sessionState'])['dialogAction'].get('slotToElicit'), 'PickupDate', 'second turn')
    ok(len(r['audioStream'].read()) > 8000, '8 kHz reply')
