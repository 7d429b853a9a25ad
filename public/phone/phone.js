/**
 * The connector's browser client (`/phone`, docs/browser.md): settings, the voice call, the
 * chat tab and the conversation log. Credentials live in the form fields only (never stored,
 * never in a URL). `window.lexPhone` exposes the call's counters for tests.
 */
import { sendChat } from './chat.js';
import { clearLog, note, showEvent } from './log-view.js';
import { VoiceCall } from './voice-call.js';

const $ = (id) => document.getElementById(id);
const ORDER_FLOWERS = ['I would like to order some flowers', 'roses', 'tomorrow', '10 am', 'yes'];
const SCRIPT_MAX = 10;

/** @type {VoiceCall | null} */
let call = null;
let lastStats = null;
let emulator = false;

const route = () => document.querySelector('input[name="route"]:checked').value;
const value = (id) => $(id).value.trim();

function newSessionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  $('sessionId').value = `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function showRoute() {
  const r = route();
  $('v1-ids').hidden = r !== 'v1';
  $('v2-ids').hidden = r === 'v1';
  $('welcome-row').hidden = r !== 'conversation';
}

/** The WebSocket URL of the chosen route on this page's own host. */
function callUrl() {
  const e = encodeURIComponent;
  const base = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  const session = e(value('sessionId'));
  if (route() === 'v1') return `${base}/bot/${e(value('botName'))}/alias/${e(value('botAlias'))}/user/${session}/content`;
  return `${base}/bots/${e(value('botId'))}/botAliases/${e(value('botAliasId'))}/botLocales/${e(value('localeId'))}/sessions/${session}/${route() === 'v2' ? 'utterance' : 'conversation'}`;
}

/** The fields a call or a chat needs, checked by the browser (the connector checks them again). */
function validFields(ids) {
  for (const id of ids) {
    if (!$(id).checkValidity()) {
      $(id).reportValidity();
      return false;
    }
  }
  return true;
}

const credentialIds = ['sessionId', 'awsKey', 'awsSecret', 'awsRegion'];

function scriptLines() {
  return $('script')
    .value.split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The first message: Vonage's `websocket:connected` asking for live events, with the settings as NCCO headers are. */
function opening(rateHz) {
  const m = { event: 'websocket:connected', 'content-type': `audio/l16;rate=${rateHz}`, events: true };
  m.aws_key = value('awsKey');
  m.aws_secret = $('awsSecret').value;
  if ($('awsSessionToken').value) m.aws_session_token = $('awsSessionToken').value;
  m.aws_region = value('awsRegion');
  m.barge_in = $('bargeIn').checked;
  if ($('token').value) m.token = $('token').value;
  if (route() === 'conversation' && value('welcomeMessage')) m.welcome_message = value('welcomeMessage');
  const lines = emulator ? scriptLines() : [];
  if (lines.length > 0) {
    m.script = lines.slice(0, SCRIPT_MAX);
    $('script').value = '';
  }
  return m;
}

function setInCall(inCall) {
  $('call').disabled = inCall;
  $('hangUp').disabled = !inCall;
  $('keypad').disabled = !inCall;
  for (const el of document.querySelectorAll('input[name="route"], #rate, #rawMic, #bargeIn')) el.disabled = inCall;
}

function showStats() {
  const s = call?.stats() ?? lastStats;
  if (!s) return;
  const p = s.playback;
  const sec = (n, rate) => `${(n / rate).toFixed(1)} s`;
  $('stats').textContent = p
    ? `Sent ${s.sentFrames} frames · received ${sec(p.receivedSamples, Number($('rate').value))} · played ${sec(p.playedSamples, p.rateHz)} · ` +
      `cleared ${sec(p.clearedSamples, p.rateHz)} (${p.clears}×) · underruns ${p.underruns}`
    : `Sent ${s.sentFrames} frames`;
}

async function startCall() {
  if (!validFields([...(route() === 'v1' ? ['botName', 'botAlias'] : ['botId', 'botAliasId', 'localeId']), ...credentialIds])) return;
  const rateHz = Number($('rate').value);
  setInCall(true);
  $('call-status').textContent = 'Connecting…';
  const c = new VoiceCall({
    url: callUrl(),
    opening: opening(rateHz),
    rateHz,
    rawMic: $('rawMic').checked,
    onEvent: showEvent,
    onStatus: (text) => ($('call-status').textContent = text),
    onLevel: (db) => ($('level').value = Math.max(-60, db)),
    onClear: () => note('Barge-in: the bot stopped talking.'),
    onClose: (code, reason) => {
      lastStats = c.stats();
      if (call === c) call = null;
      setInCall(false);
      showStats();
      $('level').value = -60;
      $('call-status').textContent = `Call ended: ${code}${reason ? ` ${reason}` : ''}.`;
      note(`Call ended: ${code}${reason ? ` ${reason}` : ''}.`);
    },
  });
  call = c;
  try {
    await c.start();
  } catch (err) {
    call = null;
    setInCall(false);
    $('call-status').textContent = err.message;
    note(err.message);
  }
}

function queueScript() {
  const lines = scriptLines().slice(0, SCRIPT_MAX);
  if (lines.length === 0) return;
  if (call) {
    call.script(lines);
    $('script').value = '';
  } else {
    note(`Will be queued when the call starts: ${lines.join(' / ')}`);
  }
}

function selectTab(tab) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const t of tabs) {
    t.addEventListener('click', () => selectTab(t));
    t.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(t);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length]);
    });
  }
}

async function onChat(e) {
  e.preventDefault();
  if (!validFields(['botId', 'botAliasId', 'localeId', ...credentialIds, 'chat-text'])) return;
  const text = value('chat-text');
  $('chat-text').value = '';
  $('chat-send').disabled = true;
  try {
    await sendChat(
      {
        botId: value('botId'),
        botAliasId: value('botAliasId'),
        localeId: value('localeId'),
        sessionId: value('sessionId'),
        awsKey: value('awsKey'),
        awsSecret: $('awsSecret').value,
        awsSessionToken: $('awsSessionToken').value,
        awsRegion: value('awsRegion'),
        token: $('token').value,
      },
      text,
    );
  } finally {
    $('chat-send').disabled = false;
    $('chat-text').focus();
  }
}

/** Fills the form from `/phone/config.json`: the example bot, and the demo credentials when the emulator is the back-end. */
async function loadConfig() {
  let cfg = {};
  try {
    cfg = await (await fetch('/phone/config.json', { cache: 'no-store' })).json();
  } catch {
    $('backend').textContent = 'Could not read the connector settings; fill in your bot and credentials.';
    return;
  }
  const bot = cfg.bot ?? {};
  for (const id of ['botId', 'botAliasId', 'localeId', 'botName', 'botAlias']) if (bot[id]) $(id).value = bot[id];
  if (bot.route) document.querySelector(`input[name="route"][value="${bot.route}"]`)?.click();
  emulator = cfg.backend === 'emulator';
  if (emulator && cfg.credentials) {
    $('awsKey').value = cfg.credentials.aws_key;
    $('awsSecret').value = cfg.credentials.aws_secret;
  }
  $('script-box').hidden = !emulator;
  $('token-row').hidden = !cfg.authRequired;
  $('tab-chat').hidden = cfg.chat === false;
  $('backend').textContent = emulator
    ? 'Lex back-end: the built-in Lex emulator (demo credentials filled in). It does not recognise speech: queue what you are about to say below.'
    : 'Lex back-end: Amazon Lex. Enter your bot and AWS credentials.';
}

function init() {
  newSessionId();
  showRoute();
  wireTabs();
  for (const r of document.querySelectorAll('input[name="route"]')) r.addEventListener('change', showRoute);
  $('newSession').addEventListener('click', newSessionId);
  $('call').addEventListener('click', () => void startCall());
  $('hangUp').addEventListener('click', () => call?.hangUp());
  $('queueScript').addEventListener('click', queueScript);
  $('fillDialog').addEventListener('click', () => ($('script').value = ORDER_FLOWERS.join('\n')));
  $('clearLog').addEventListener('click', clearLog);
  $('chat-form').addEventListener('submit', (e) => void onChat(e));
  // Enter in a settings field submits nothing: credentials never leave the page but in a call or a chat request.
  $('settings').addEventListener('submit', (e) => e.preventDefault());
  for (const key of document.querySelectorAll('#keypad button')) key.addEventListener('click', () => call?.sendDtmf(key.textContent));
  setInterval(showStats, 500);
  void loadConfig();
}

/** For tests and the curious: the current (or last) call's counters. */
window.lexPhone = { stats: () => call?.stats() ?? lastStats, inCall: () => call !== null };

init();
