/**
 * Google Forms -> Mentoring webhook.
 *
 * Paste this file into the form's script editor (Form > ⋮ > Apps Script), then:
 *   1. Project Settings > Script Properties:
 *        WEBHOOK_URL     https://<host>/api/programs/<programId>/webhooks/google-forms
 *        WEBHOOK_SECRET  one of the program's webhookSecrets (the current one)
 *        FIELD_IDS       optional: "id" (default, stable item ids) or "title" (question titles; they change when edited)
 *   2. Run `install` once and accept the permissions. It adds an "On form submit" trigger for `onFormSubmit`.
 *   3. Run `listFieldIds` and read the log: those ids go into the program's fieldMaps["google-forms"].
 *
 * Each submission is posted as the documented generic shape
 *   {"submissionId": "...", "submittedAt": "...", "fields": {"<item id>": "value" | ["a", "b"]}}
 * An edited response (with "Allow response editing" on, the trigger runs again) keeps its id; its timestamp is the
 * edit's, so the backend updates the participant in place. `sendTest` adds "test": true (nothing is registered).
 * with the header  X-Mentoring-Signature: sha256=<base64 HMAC-SHA256(secret, exact body bytes)>.
 * When the form collects email addresses, the address is sent as the field "respondentEmail".
 */

var SIGNATURE_HEADER = 'X-Mentoring-Signature';
var MAX_ATTEMPTS = 3;

/** Installable trigger target: runs after every submission. */
function onFormSubmit(e) {
  var response = e && e.response ? e.response : FormApp.getActiveForm().getResponses().pop();
  var settings = readSettings_();
  var body = JSON.stringify(buildPayload_(response, settings.fieldIds));
  post_(settings, body);
}

/** Creates the "On form submit" trigger once. */
function install() {
  var form = FormApp.getActiveForm();
  var exists = ScriptApp.getProjectTriggers().some(function (t) {
    return t.getHandlerFunction() === 'onFormSubmit';
  });
  if (!exists) {
    ScriptApp.newTrigger('onFormSubmit').forForm(form).onFormSubmit().create();
  }
  readSettings_(); // Fails early when a script property is missing.
  Logger.log('Installed. Submissions go to ' + PropertiesService.getScriptProperties().getProperty('WEBHOOK_URL'));
}

/** Logs every question's field id, type and title, to build the program's field map. */
function listFieldIds() {
  var settings = readSettings_();
  FormApp.getActiveForm().getItems().forEach(function (item) {
    Logger.log(fieldId_(item, settings.fieldIds) + '\t' + item.getType() + '\t' + item.getTitle());
  });
  Logger.log('respondentEmail\t(collected email address, when the form collects emails)');
}

/** Sends the latest response again for real (a redelivery: it changes nothing that is already stored). */
function resendLatest() {
  onFormSubmit({ response: FormApp.getActiveForm().getResponses().pop() });
}

/**
 * Sends the latest response as a test ("test": true): the backend answers with what it would store and registers
 * nobody. Read the answer in the execution log.
 */
function sendTest() {
  var settings = readSettings_();
  var payload = buildPayload_(FormApp.getActiveForm().getResponses().pop(), settings.fieldIds);
  payload.test = true;
  Logger.log(post_(settings, JSON.stringify(payload)));
}

function readSettings_() {
  var props = PropertiesService.getScriptProperties();
  var url = props.getProperty('WEBHOOK_URL');
  var secret = props.getProperty('WEBHOOK_SECRET');
  if (!url || !secret) {
    throw new Error('Set the WEBHOOK_URL and WEBHOOK_SECRET script properties first.');
  }
  var fieldIds = (props.getProperty('FIELD_IDS') || 'id').toLowerCase();
  if (fieldIds !== 'id' && fieldIds !== 'title') {
    throw new Error('FIELD_IDS must be "id" or "title".');
  }
  return { url: url, secret: secret, fieldIds: fieldIds };
}

function buildPayload_(response, fieldIds) {
  var fields = {};
  var email = response.getRespondentEmail && response.getRespondentEmail();
  if (email) {
    fields.respondentEmail = email;
  }
  response.getItemResponses().forEach(function (itemResponse) {
    var values = flatten_(itemResponse.getResponse());
    if (values.length === 0) {
      return;
    }
    var id = fieldId_(itemResponse.getItem(), fieldIds);
    fields[id] = values.length === 1 && !Array.isArray(itemResponse.getResponse()) ? values[0] : values;
  });
  return {
    submissionId: response.getId(),
    submittedAt: response.getTimestamp().toISOString(),
    fields: fields
  };
}

function fieldId_(item, fieldIds) {
  return fieldIds === 'title' ? item.getTitle() : String(item.getId());
}

/** Text answers are strings, checkboxes and grids arrays (checkbox grids arrays of arrays): flatten to non-empty strings. */
function flatten_(value) {
  if (value === null || value === undefined) {
    return [];
  }
  if (Array.isArray(value)) {
    return value.reduce(function (all, v) { return all.concat(flatten_(v)); }, []);
  }
  var text = String(value);
  return text === '' ? [] : [text];
}

function post_(settings, body) {
  var bytes = Utilities.newBlob(body).getBytes(); // UTF-8: the exact bytes that are signed and sent.
  var signature = Utilities.computeHmacSha256Signature(bytes, Utilities.newBlob(settings.secret).getBytes());
  var headers = {};
  headers[SIGNATURE_HEADER] = 'sha256=' + Utilities.base64Encode(signature);

  var last;
  for (var attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    last = UrlFetchApp.fetch(settings.url, {
      method: 'post',
      contentType: 'application/json',
      payload: bytes,
      headers: headers,
      muteHttpExceptions: true,
      followRedirects: false
    });
    var code = last.getResponseCode();
    if (code >= 200 && code < 300) {
      return last.getContentText();
    }
    if (code !== 429 && code < 500) {
      break; // 4xx: retrying the same body cannot help; the error below names the field.
    }
    Utilities.sleep(1000 * attempt);
  }
  // A thrown error marks the execution as failed; Google emails the trigger owner.
  throw new Error('Mentoring webhook answered ' + last.getResponseCode() + ': ' + last.getContentText().slice(0, 500));
}
