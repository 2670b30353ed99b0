/**
 * Common English given-name diminutives and their formal names. A nickname may stand for several
 * formal names (al: albert, alan, alfred...), so lookups return every candidate; two given names
 * agree at the "nickname" level when their candidate sets intersect. Deliberately conservative:
 * only pairs that registrars and clerks commonly treat as the same name.
 */
const TABLE = `
abigail: abby abbie gail
abraham: abe abram
adrian: ade
albert: al bert bertie
alexander: alex al alec alek sandy sasha xander lex
alexandra: alex alexa sandra sandy lexi sasha
alfred: al alf alfie fred freddie
alan: al
allan: al
andrew: andy drew
angela: angie
anthony: tony ant
antonio: tony
arnold: arnie
arthur: art artie
barbara: barb barbie babs
benjamin: ben benny benji
bernard: bernie
beverly: bev
bradley: brad
brian: bri
bridget: biddy bridie
calvin: cal
cameron: cam
caroline: carol carrie caro
catherine: cathy cath cat kate katie kathy kitty
katherine: kathy kath kate katie kat kitty
kathleen: kathy kath kate
charles: charlie chuck chas chaz
charlotte: lottie charlie lotte
christian: chris
christina: chris tina christy
christine: chris tina christy
christopher: chris kit topher
clifford: cliff
cornelius: neil
cynthia: cindy
daniel: dan danny
david: dave davy davey
deborah: deb debbie debby
dennis: den denny
donald: don donnie donny
dorothy: dot dottie dolly
douglas: doug
edward: ed eddie ted teddy ned
edwin: ed eddie
edmund: ed eddie ned
eleanor: ellie nora nell nellie elle
elizabeth: liz lizzie lizzy beth betty betsy eliza libby bess bessie lisa elsie
emily: em emmy
emma: em emmy
eugene: gene
evelyn: evie eve
frances: fran fanny frankie
francis: frank fran frankie
frederick: fred freddie freddy fritz
gabriel: gabe
gabrielle: gabby gabi
geoffrey: geoff jeff
gerald: gerry jerry
gilbert: gil bert
gregory: greg
gwendolyn: gwen wendy
harold: harry hal
harriet: hattie
henry: harry hank hal
herbert: herb bert
howard: howie
isaac: ike
isabel: izzy bella belle isa
isabella: izzy bella belle isa
isabelle: izzy bella belle isa
jacob: jake jakey
james: jim jimmy jamie jimmie
janet: jan
jacqueline: jackie
jeffrey: jeff
jennifer: jen jenny jenn
jessica: jess jessie
joanna: jo
john: johnny jack jon
jonathan: jon jonny johnny nathan
joseph: joe joey jo
joshua: josh
judith: judy jude
julia: julie jules
kenneth: ken kenny
kimberly: kim kimmy
lawrence: larry laurie
laurence: larry laurie
leonard: leo len lenny
lewis: lew lou
louis: lou louie
louise: lou lulu
lucas: luke
luke: lucas
madeline: maddie maddy
madison: maddie maddy
margaret: maggie meg peggy marge margie greta madge daisy peg
marjorie: marge margie
martin: marty
matilda: tilly tilda mattie
matthew: matt matty
megan: meg
melissa: mel missy lissa
michael: mike mikey mick micky mickey
michelle: shelly
mitchell: mitch
nathan: nate nat
nathaniel: nate nat nathan
nicholas: nick nicky nic
nicole: nikki nicky
oliver: ollie olly
olivia: liv livvy ollie
pamela: pam
patricia: pat patty tricia trish patsy
patrick: pat paddy
peter: pete
philip: phil pip
phillip: phil pip
rachel: rach
raymond: ray
rebecca: becky becca bec
reginald: reg reggie
richard: rick ricky rich dick richie
robert: bob bobby rob robbie robby bert
roberta: bobbie robbie
rodney: rod
ronald: ron ronnie
rosemary: rose rosie
russell: russ
samantha: sam sammy
samuel: sam sammy
sarah: sally sadie
sara: sally
sebastian: seb bastian
sidney: sid
stanley: stan
stephanie: steph stevie
stephen: steve stevie
steven: steve stevie
susan: sue susie suzy
suzanne: sue susie suzy
terence: terry
theodore: ted teddy theo
thomas: tom tommy thom
timothy: tim timmy
valerie: val
veronica: ronnie vera
victoria: vicky vicki tori
vincent: vince vinny
walter: walt wally
william: bill billy will willie liam
zachary: zach zack
`;

const TO_FORMAL = new Map<string, string[]>();
for (const line of TABLE.split('\n')) {
  const [formal, rest] = line.split(':');
  if (formal === undefined || rest === undefined) continue;
  for (const nick of rest.trim().split(/\s+/)) {
    const list = TO_FORMAL.get(nick) ?? [];
    if (!list.includes(formal)) list.push(formal);
    TO_FORMAL.set(nick, list);
  }
}

/** The name itself plus every formal name it may be short for, sorted (stable for storage). */
export function nameRoots(given: string): string[] {
  const roots = new Set([given, ...(TO_FORMAL.get(given) ?? [])]);
  return [...roots].sort();
}

/** Number of nicknames in the table (for tests and documentation). */
export const NICKNAME_COUNT = TO_FORMAL.size;
