// Per filter value, the documents that have it, as a bitset (base64 in search/tips.json; search_index.py
// `bitset` writes it: bit n of byte n >> 3, least significant first).
export function Bitset(base64) {
  var raw = atob(base64);
  this.bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) this.bytes[i] = raw.charCodeAt(i);
  var size = 0;
  for (var k = 0; k < this.bytes.length; k++) { for (var b = this.bytes[k]; b; b &= b - 1) size++; }
  this.size = size;
}
Bitset.prototype.has = function (n) { return (this.bytes[n >> 3] & (1 << (n & 7))) !== 0; };

// The filters of the manifest as Map(name -> Map(value -> Bitset)). Maps, not objects: a value from a
// link (?dienst=__proto__, ?tool=constructor) must never find Object.prototype.
export function filterSets(filters) {
  var sets = new Map();
  Object.keys(filters || {}).forEach(function (name) {
    var values = new Map();
    Object.keys(filters[name]).forEach(function (value) { values.set(value, new Bitset(filters[name][value])); });
    sets.set(name, values);
  });
  return sets;
}

// Does document n have `value` for filter `name`? False for any name or value the index does not know.
export function hasValue(sets, name, value, n) {
  var values = sets.get(name);
  var set = values && values.get(value);
  return Boolean(set) && set.has(n);
}
