"""GetSession / PutSession / DeleteSession, V1 and V2, sharing state with the runtime operations."""

from common import V1_BOT, V2_BOT, check, client_error, eq, error_is, ok, slot, ungz


@check('sessions')
def v1_put_get_delete_session(ctx):
    lex = ctx.v1()
    user = ctx.sid('v1-session')
    r = lex.put_session(**V1_BOT, userId=user, accept='text/plain; charset=utf-8', sessionAttributes={'tenant': 't1'},
                        dialogAction={'type': 'ElicitSlot', 'intentName': 'OrderFlowers', 'slots': {'FlowerType': 'roses'}, 'slotToElicit': 'PickupDate'})
    eq((r['dialogState'], r.get('slotToElicit'), r.get('intentName')), ('ElicitSlot', 'PickupDate', 'OrderFlowers'), 'PutSession answer')
    ok('roses' in r['message'], f"the PickupDate prompt: {r['message']!r}")
    eq(r['sessionAttributes'], {'tenant': 't1'}, 'attributes')
    g = lex.get_session(**V1_BOT, userId=user)
    eq(g['dialogAction']['type'], 'ElicitSlot', 'GetSession dialog action')
    eq((g['dialogAction']['intentName'], g['dialogAction']['slotToElicit']), ('OrderFlowers', 'PickupDate'), 'GetSession intent')
    eq(g['sessionAttributes'], {'tenant': 't1'}, 'GetSession attributes')
    eq(g['sessionId'], r['sessionId'], 'the same Lex session id')
    eq(g['recentIntentSummaryView'][0]['intentName'], 'OrderFlowers', 'recent intents')
    t = lex.post_text(**V1_BOT, userId=user, inputText='tomorrow')
    eq(t.get('slotToElicit'), 'PickupTime', 'PostText continues the put state')
    eq(lex.get_session(**V1_BOT, userId=user)['dialogAction']['slots']['PickupDate'], '2026-11-23', 'GetSession sees the PostText turn')
    d = lex.delete_session(**V1_BOT, userId=user)
    eq((d['botName'], d['botAlias'], d['userId'], d['sessionId']), ('OrderFlowers', '$LATEST', user, r['sessionId']), 'DeleteSession answer')
    error_is(client_error(lambda: lex.get_session(**V1_BOT, userId=user)), 'NotFoundException', 404, 'GetSession after DeleteSession')
    eq(lex.post_text(**V1_BOT, userId=user, inputText='hello')['dialogState'], 'ElicitIntent', 'a new session starts afresh')


@check('sessions')
def v1_put_session_audio_and_delegate(ctx):
    lex = ctx.v1()
    r = lex.put_session(**V1_BOT, userId=ctx.sid('v1-session-audio'), accept='audio/pcm',
                        dialogAction={'type': 'Delegate', 'intentName': 'OrderFlowers', 'slots': {'FlowerType': 'lilies', 'PickupDate': '2026-12-01', 'PickupTime': '10:00'}})
    eq(r['dialogState'], 'ConfirmIntent', 'Delegate lets the bot choose: confirm')
    ok(len(r['audioStream'].read()) > 16000, 'the confirmation prompt as 16 kHz audio')


@check('sessions')
def v2_put_get_delete_session(ctx):
    lex = ctx.v2()
    sid = ctx.sid('v2-session')
    state = {'dialogAction': {'type': 'ElicitSlot', 'slotToElicit': 'PickupTime'}, 'sessionAttributes': {'tenant': 't1'},
             'intent': {'name': 'OrderFlowers', 'state': 'InProgress', 'slots': {'FlowerType': slot('tulips'), 'PickupDate': slot('2026-12-02')}}}
    p = lex.put_session(**V2_BOT, sessionId=sid, sessionState=state, responseContentType='text/plain; charset=utf-8')
    eq(p['sessionId'], sid, 'PutSession session id')
    ok('tulips' in ungz(p['messages'])[0]['content'], 'the PickupTime prompt')
    eq(ungz(p['sessionState'])['dialogAction'], {'type': 'ElicitSlot', 'slotToElicit': 'PickupTime'}, 'PutSession state')
    g = lex.get_session(**V2_BOT, sessionId=sid)
    eq(g['sessionState']['intent']['slots']['FlowerType']['value']['interpretedValue'], 'tulips', 'GetSession slots')
    eq(g['sessionState']['sessionAttributes'], {'tenant': 't1'}, 'GetSession attributes')
    r = lex.recognize_text(**V2_BOT, sessionId=sid, text='3 pm')
    eq(r['sessionState']['dialogAction']['type'], 'ConfirmIntent', 'RecognizeText continues the put state')
    g = lex.get_session(**V2_BOT, sessionId=sid)
    eq(g['sessionState']['dialogAction']['type'], 'ConfirmIntent', 'GetSession sees the RecognizeText turn')
    eq(g['sessionState']['originatingRequestId'], r['ResponseMetadata']['RequestId'], 'originatingRequestId of the last turn')
    eq(g['interpretations'][0]['intent']['name'], 'OrderFlowers', 'interpretations of the last turn')
    ok('Does this sound okay' in g['messages'][0]['content'], 'messages of the last turn')
    d = lex.delete_session(**V2_BOT, sessionId=sid)
    eq((d['botId'], d['botAliasId'], d['localeId'], d['sessionId']), ('ORDERFLWRS', 'TSTALIASID', 'en_US', sid), 'DeleteSession answer')
    error_is(client_error(lambda: lex.get_session(**V2_BOT, sessionId=sid)), 'ResourceNotFoundException', 404, 'GetSession after DeleteSession')
    error_is(client_error(lambda: lex.delete_session(**V2_BOT, sessionId=sid)), 'ResourceNotFoundException', 404, 'DeleteSession twice')


@check('sessions')
def v2_put_session_messages_as_audio(ctx):
    lex = ctx.v2()
    r = lex.put_session(**V2_BOT, sessionId=ctx.sid('v2-session-audio'), sessionState={'dialogAction': {'type': 'ElicitIntent'}},
                        messages=[{'contentType': 'PlainText', 'content': 'Welcome to the flower shop. How can I help?'}],
                        responseContentType='audio/pcm; sample-rate=8000', requestAttributes={'channel': 'voice'})
    eq(ungz(r['messages']), [{'contentType': 'PlainText', 'content': 'Welcome to the flower shop. How can I help?'}], 'messages header')
    eq(ungz(r['requestAttributes']), {'channel': 'voice'}, 'request attributes header')
    ok(len(r['audioStream'].read()) > 8000, 'the messages spoken at 8 kHz')
