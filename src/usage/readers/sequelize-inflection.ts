// The names Sequelize (v6) makes from a model's name, as its Utils do with the inflection package:
// `pluralize` for the default table name, `singularize` for default foreign keys, `underscore` for
// `underscored: true`, `camelize` for foreign key attributes. inflection's word lists and special endings
// changed between its versions (1.x: 'Human' → 'Humen', 3.x: 'Humans'; 'Software' uncountable only in
// some), so only the names every version treats alike are made here; the others are null (unknown).

// Whole names some inflection version leaves as they are (the union of the lists of its versions).
const UNCOUNTABLE = new Set(
  (
    'access accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause arithmetic art assistance athletics attention ' +
    'bacon baggage ballet beauty beef beer behavior biology billiards blood botany bowels bread business butter ' +
    'carbon cardboard cash chalk chaos chess crossroads countryside damage dancing danger deer delight dessert dignity dirt distribution dust ' +
    'economics education electricity employment energy engineering enjoyment entertainment envy equipment ethics evidence evolution ' +
    'failure faith fame fiction fish flour flu food freedom fruit fuel fun funeral furniture ' +
    'gallows garbage garlic gas genetics glass gold golf gossip grass gratitude grief ground guilt gymnastics ' +
    'hair happiness hardware harm hate hatred health heat height help homework honesty honey hospitality housework humour hunger hydrogen ' +
    'ice importance inflation information injustice innocence intelligence iron irony jam jealousy jelly jewelry joy judo juice justice ' +
    'karate kindness knowledge labour lack land laughter lava leather leisure lightning linguine linguini linguistics literature litter livestock logic loneliness love luck luggage ' +
    'macaroni machinery magic mail management mankind marble mathematics mayonnaise measles meat metal methane milk minus money moose mud music mumps ' +
    'nature news nitrogen nonsense nurture nutrition obedience obesity oil oxygen ' +
    'paper passion pasta patience permission physics poetry pollution poverty power pride production progress pronunciation psychology publicity punctuation ' +
    'quality quantity quartz racism rain recreation relaxation reliability research respect revenge rice rubbish rum ' +
    'safety salad salt sand satire scenery seafood seaside series shame sheep shopping silence sleep slang smoke smoking snow soap software soil sorrow soup ' +
    'spaghetti speed species spelling sport steam strength stuff stupidity success sugar sunshine symmetry ' +
    'tea tennis thirst thunder timber time toast tolerance trade traffic transportation travel trust ' +
    'understanding underwear unemployment unity usage validity veal vegetation vegetarianism vengeance violence vision vitality ' +
    'warmth water wealth weather weight welfare wheat whiskey width wildlife wine wisdom wood wool work yeast yoga zinc zoology'
  ).split(' '),
)

/**
 * Endings some inflection version treats specially (irregular plurals, words taken for plurals already,
 * rules that moved ahead of others): a name ending so has no one plural here.
 */
const SPECIAL_PLURAL =
  /(?:[^s]s|man|men|person|people|child|children|[ti]um|[^f]fe|[lr]f|[ml|]ouse|[ml|]ice|quiz|(?:buffal|tomat|potat)o|(?:octop|vir)i|matrix|vertex|index|^ox|^oxen.*|^(?:foot|tooth|goose|feet|teeth|geese|whereas|criterion|genus|genera))$/i

/**
 * The names `inflection.pluralize(name)` gives in its versions: `User` → `Users`, `Category` → `Categories`,
 * `Box` → `Boxes`, `Quota` → `Quota`; a word some version lists as uncountable both ways (`Software`,
 * `Softwares`); null for an ending whose plural changed between versions (`Person`, `Status`, `Human`).
 */
export function pluralize(name: string): string[] | null {
  // Taken for a plural already by every version.
  if (/[ti]a$/i.test(name)) return [name]
  const regular = regularPlural(name)
  if (UNCOUNTABLE.has(name.toLowerCase())) return regular === null ? null : [name, regular]
  return regular === null ? null : [regular]
}

function regularPlural(name: string): string | null {
  if (/(?:x|ch|sh|ss)$/i.test(name) && !SPECIAL_PLURAL.test(name)) return `${name}es`
  if (SPECIAL_PLURAL.test(name)) return null
  if (/(?:[^aeiouy]|qu)y$/i.test(name)) return `${name.slice(0, -1)}ies`
  return `${name}s`
}

/** Endings a singularize rule of some inflection version rewrites (`s`, `men`, `people`, `ta`, `ice`, …). */
const SPECIAL_SINGULAR = /(?:s|men|people|children|[ti]a|[ml|]ice|(?:octop|vir)i|^oxen.*|^(?:feet|teeth|geese|genera))$/i

/** `inflection.singularize(name)` for a name that is singular already (most model names): itself; null otherwise. */
export function singularize(name: string): string | null {
  if (UNCOUNTABLE.has(name.toLowerCase())) return name
  return SPECIAL_SINGULAR.test(name) ? null : name
}

/** `inflection.underscore`: `OrderItems` → `order_items`, `userID` → `user_i_d`. */
export function underscore(name: string): string {
  return name
    .split('::')
    .map(part => part.replace(/([A-Z])/g, '_$1').replace(/^_/, ''))
    .join('/')
    .toLowerCase()
}

/** Sequelize's `Utils.camelize` (v6): `User_id` → `UserId`, `author_id` → `authorId`. */
export function camelize(name: string): string {
  return name.trim().replace(/[-_\s]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))
}
