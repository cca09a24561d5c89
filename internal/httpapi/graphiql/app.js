// Starts GraphiQL on Samverkan's page. Everything it needs is served by the
// server itself (/graphiql/…); the page's settings come from the
// data-attributes of #graphiql, since the page allows no inline script.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.dataset.endpoint;
  var prefix = root.dataset.storagePrefix || '';

  // localStorage under the page's own prefix, so GraphiQL's tabs and
  // headers do not mix with another GraphiQL on the same origin.
  function PrefixedStorage() {}
  PrefixedStorage.prototype.setItem = function (k, v) { localStorage.setItem(prefix + k, v); };
  PrefixedStorage.prototype.getItem = function (k) { return localStorage.getItem(prefix + k); };
  PrefixedStorage.prototype.removeItem = function (k) { localStorage.removeItem(prefix + k); };
  PrefixedStorage.prototype.keys = function () {
    var out = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key.indexOf(prefix) === 0) out.push(key.substring(prefix.length));
    }
    return out;
  };
  PrefixedStorage.prototype.clear = function () {
    this.keys().forEach(function (k) { localStorage.removeItem(prefix + k); });
  };
  PrefixedStorage.prototype.key = function (i) { var ks = this.keys(); return i >= 0 && i < ks.length ? ks[i] : null; };
  Object.defineProperty(PrefixedStorage.prototype, 'length', { get: function () { return this.keys().length; } });

  // The query, variables, headers and operation name live in the URL, so a
  // link shows what its sender saw.
  var parameters = Object.fromEntries(new URLSearchParams(window.location.search));
  function updateURL() {
    var search = new URLSearchParams();
    Object.keys(parameters).forEach(function (k) { if (parameters[k]) search.set(k, parameters[k]); });
    history.replaceState(null, '', '?' + search.toString());
  }
  function edit(name) {
    return function (value) { parameters[name] = value; updateURL(); };
  }

  var url = location.protocol + '//' + location.host + endpoint;
  var subscriptionUrl = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + endpoint;
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: url, subscriptionUrl: subscriptionUrl }),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      query: parameters.query,
      variables: parameters.variables,
      operationName: parameters.operationName,
      headers: parameters.headers,
      onEditQuery: edit('query'),
      onEditVariables: edit('variables'),
      onEditHeaders: edit('headers'),
      onEditOperationName: edit('operationName'),
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
      storage: new PrefixedStorage(),
      inputValueDeprecation: true,
    }),
  );
})();
