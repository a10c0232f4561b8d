/*
 * cityprofiles: the glue between Decap CMS and the content files (EUPL-1.2).
 *
 * Loaded after decap-cms.js (which waits: cityprofiles-setup.js sets CMS_MANUAL_INIT)
 * and js-yaml. It
 *   1. picks the interface language: ?lang=xx (remembered), else the last choice,
 *      else the site's default (data-default-locale on <html>);
 *   2. loads that language's generated configuration (config.<lang>.yml);
 *   3. registers one file format per YAML collection, which shows a plain name
 *      ("name: Utrecht") in every language and the network registry (a mapping by id)
 *      as a list, and writes them back the way people write them;
 *   4. keeps a refused save's reason on screen (the back end answers with the
 *      message `cityprofiles check` prints) until the editor closes it;
 *   5. starts Decap.
 * The form itself is Decap's: nothing here draws a field.
 */
(function () {
  'use strict';

  var CMS = window.CMS;
  var jsyaml = window.jsyaml;
  var root = document.documentElement;
  var MARK = 'cityprofiles';
  var STORE = 'cityprofiles-cms-language';
  var locales = (root.getAttribute('data-locales') || 'en').split(' ');
  var contentLanguages = (root.getAttribute('data-languages') || 'en').split(' ');

  function chooseLanguage() {
    var asked = new URLSearchParams(window.location.search).get('lang');
    var stored = null;
    try {
      stored = window.localStorage.getItem(STORE);
    } catch (e) {
      stored = null;
    }
    if (asked && locales.indexOf(asked) >= 0) {
      try {
        window.localStorage.setItem(STORE, asked);
      } catch (e) {
        /* a private window may refuse; the choice then lasts this visit */
      }
      return asked;
    }
    if (stored && locales.indexOf(stored) >= 0) {
      return stored;
    }
    return root.getAttribute('data-default-locale') || locales[0];
  }

  // -- plain names and mappings by id <-> what the form edits -----------------------

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function perLanguage(text) {
    var result = {};
    contentLanguages.forEach(function (code) {
      result[code] = text;
    });
    return result;
  }

  /* "name: Utrecht" means the same name in every language. */
  function samePlain(value) {
    if (!isObject(value)) {
      return value;
    }
    var values = contentLanguages.map(function (code) {
      return value[code];
    });
    var first = values[0];
    var keys = Object.keys(value).filter(function (k) {
      return value[k] !== '' && value[k] !== null && value[k] !== undefined;
    });
    var same = typeof first === 'string' && first !== '' && values.every(function (v) {
      return v === first;
    });
    return same && keys.length === contentLanguages.length ? first : value;
  }

  // An object field's value, or each item of a list of objects, converted by `convert`
  // (toForm or toFile) with the field's own fields.
  function eachNested(field, value, convert) {
    if (!field.fields) {
      return;
    }
    if (field.widget === 'object') {
      convert(field.fields, value);
    } else if (field.widget === 'list' && Array.isArray(value)) {
      value.forEach(function (item) {
        convert(field.fields, item);
      });
    }
  }

  function toForm(fields, data) {
    if (!isObject(data)) {
      return data;
    }
    fields.forEach(function (field) {
      var value = data[field.name];
      if (value === undefined || value === null) {
        return;
      }
      var mark = field[MARK];
      if (mark === 'name' && typeof value === 'string') {
        data[field.name] = perLanguage(value);
      } else if (mark === 'names' && Array.isArray(value)) {
        data[field.name] = value.map(function (item) {
          return typeof item === 'string' ? perLanguage(item) : item;
        });
      } else if (mark === 'keyed' && isObject(value)) {
        data[field.name] = Object.keys(value).map(function (id) {
          var item = Object.assign({ id: id }, value[id]);
          return toForm(field.fields, item);
        });
      } else if (!mark) {
        eachNested(field, value, toForm);
      }
    });
    return data;
  }

  function prune(value) {
    if (Array.isArray(value)) {
      var items = value.map(prune).filter(function (v) {
        return v !== undefined;
      });
      return items.length ? items : undefined;
    }
    if (isObject(value)) {
      var result = {};
      Object.keys(value).forEach(function (key) {
        var inner = prune(value[key]);
        if (inner !== undefined) {
          result[key] = inner;
        }
      });
      return Object.keys(result).length ? result : undefined;
    }
    if (value === '' || value === null || value === undefined) {
      return undefined;
    }
    if (typeof value === 'number' && isNaN(value)) {
      return undefined;
    }
    return value;
  }

  function toFile(fields, data) {
    if (!isObject(data)) {
      return data;
    }
    fields.forEach(function (field) {
      var value = data[field.name];
      if (value === undefined || value === null) {
        return;
      }
      var mark = field[MARK];
      if (mark === 'name') {
        data[field.name] = samePlain(value);
      } else if (mark === 'names' && Array.isArray(value)) {
        data[field.name] = value.map(samePlain);
      } else if (mark === 'keyed' && Array.isArray(value)) {
        var mapping = {};
        value.forEach(function (item) {
          if (!isObject(item) || !item.id) {
            return;
          }
          var rest = Object.assign({}, item);
          delete rest.id;
          mapping[item.id] = toFile(field.fields, rest);
        });
        data[field.name] = mapping;
      } else if (!mark) {
        eachNested(field, value, toFile);
      }
    });
    return data;
  }

  function yamlFormat(fields) {
    return {
      fromFile: function (content) {
        var data = jsyaml.load(content || '', { schema: jsyaml.CORE_SCHEMA });
        return toForm(fields, isObject(data) ? data : {});
      },
      toFile: function (data) {
        var copy = JSON.parse(JSON.stringify(data || {}));
        var shaped = prune(toFile(fields, copy)) || {};
        return jsyaml.dump(shaped, {
          schema: jsyaml.CORE_SCHEMA,
          lineWidth: 88,
          noRefs: true,
          quotingType: '"',
        });
      },
    };
  }

  var markdownFormat = {
    fromFile: function (content) {
      return { body: content || '' };
    },
    toFile: function (data) {
      var body = (data && data.body) || '';
      return body && body.slice(-1) !== '\n' ? body + '\n' : body;
    },
  };

  function withoutMarks(value) {
    if (Array.isArray(value)) {
      return value.map(withoutMarks);
    }
    if (isObject(value)) {
      var result = {};
      Object.keys(value).forEach(function (key) {
        if (key !== MARK) {
          result[key] = withoutMarks(value[key]);
        }
      });
      return result;
    }
    return value;
  }

  function registerFormats(config) {
    CMS.registerCustomFormat('cityprofiles-markdown', 'md', markdownFormat);
    config.collections.forEach(function (collection) {
      var format = collection.format || '';
      if (format.indexOf('cityprofiles-') !== 0 || format === 'cityprofiles-markdown') {
        return;
      }
      var fields = collection.fields || (collection.files && collection.files[0].fields) || [];
      CMS.registerCustomFormat(format, 'yaml', yamlFormat(fields));
    });
  }

  // -- a refused save stays on screen ------------------------------------------------

  function problemPanel(language) {
    var words = {
      en: { title: 'Not saved', close: 'Close' },
      nl: { title: 'Niet opgeslagen', close: 'Sluiten' },
    }[language] || { title: 'Not saved', close: 'Close' };
    var panel = document.createElement('section');
    panel.id = 'cityprofiles-refusal';
    panel.setAttribute('role', 'alert');
    panel.hidden = true;
    var heading = document.createElement('h2');
    heading.textContent = words.title;
    var text = document.createElement('pre');
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = words.close;
    close.addEventListener('click', function () {
      panel.hidden = true;
    });
    panel.appendChild(heading);
    panel.appendChild(text);
    panel.appendChild(close);
    document.body.appendChild(panel);
    return function (message) {
      text.textContent = message;
      panel.hidden = false;
    };
  }

  function watchSaves(proxyUrl, show) {
    var original = window.fetch.bind(window);
    window.fetch = function (resource, init) {
      var promise = original(resource, init);
      var url = typeof resource === 'string' ? resource : resource && resource.url;
      var body = init && typeof init.body === 'string' ? init.body : '';
      if (url && url.indexOf(proxyUrl) >= 0 && body.indexOf('"persist') >= 0) {
        promise.then(function (response) {
          if (!response.ok) {
            response
              .clone()
              .json()
              .then(function (json) {
                if (json && json.error) {
                  show(json.error);
                }
              })
              .catch(function () {});
          }
        });
      }
      return promise;
    };
  }

  // -- the interface language switch -------------------------------------------------

  function languageSwitch(current) {
    if (locales.length < 2) {
      return;
    }
    var names = { en: 'English', nl: 'Nederlands', de: 'Deutsch', fr: 'Français' };
    var nav = document.createElement('nav');
    nav.id = 'cityprofiles-languages';
    nav.setAttribute('aria-label', current === 'nl' ? 'Taal van de bewerkomgeving' : 'Interface language');
    locales.forEach(function (code) {
      var link = document.createElement('a');
      link.href = '?lang=' + code + window.location.hash;
      link.lang = code;
      link.hreflang = code;
      link.textContent = names[code] || code;
      if (code === current) {
        link.setAttribute('aria-current', 'true');
      }
      nav.appendChild(link);
    });
    document.body.appendChild(nav);
  }

  // -- each language's input says its language (screen readers, spelling) ------------

  function markLanguages() {
    var pattern = new RegExp('^(' + contentLanguages.join('|') + ')-field-');
    function mark() {
      var inputs = document.querySelectorAll('input[id*="-field-"], textarea[id*="-field-"]');
      for (var i = 0; i < inputs.length; i++) {
        var found = pattern.exec(inputs[i].id);
        if (found && inputs[i].lang !== found[1]) {
          inputs[i].lang = found[1];
        }
      }
    }
    new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
  }

  function start() {
    var language = chooseLanguage();
    root.lang = language;
    languageSwitch(language);
    markLanguages();
    var show = problemPanel(language);
    window
      .fetch('config.' + language + '.yml', { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('config.' + language + '.yml: ' + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var config = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
        registerFormats(config);
        if (config.backend && config.backend.proxy_url) {
          watchSaves(config.backend.proxy_url, show);
        }
        var ready = withoutMarks(config);
        ready.load_config_file = false;
        CMS.init({ config: ready });
      })
      .catch(function (error) {
        show(String(error));
      });
  }

  start();
})();
