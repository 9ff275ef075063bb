// The story generator: characters + a plot template + many phrasing choices, all drawn from gb::Rng.
// Stories name two characters of (usually) different genders so "he"/"she" point back at one name,
// which is what the attention panels show.
#include "models/data/corpus.hpp"

#include <cctype>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/rng.hpp"

namespace gb {
namespace {

// [SECTION] Word lists
struct Name {
  const char* name;
  bool female;
};
const Name kKids[] = {
    {"Lily", true},  {"Mia", true},   {"Anna", true},  {"Emma", true},  {"Sara", true},   {"Zoe", true},
    {"Lucy", true},  {"Nora", true},  {"Ella", true},  {"Ruby", true},  {"Maya", true},   {"Rosa", true},
    {"Ivy", true},   {"Lena", true},  {"Amy", true},   {"Hana", true},  {"Leah", true},   {"Alice", true},
    {"Grace", true}, {"Julia", true}, {"Tom", false},  {"Ben", false},  {"Max", false},   {"Sam", false},
    {"Leo", false},  {"Jack", false}, {"Finn", false}, {"Noah", false}, {"Omar", false},  {"Ravi", false},
    {"Theo", false}, {"Luca", false}, {"Kai", false},  {"Eli", false},  {"Tim", false},   {"Hugo", false},
    {"Ali", false},  {"Dan", false},  {"Oscar", false}, {"Peter", false},
};
const Name kPets[] = {
    {"Milo", false}, {"Rex", false},  {"Bruno", false}, {"Pip", false}, {"Coco", true}, {"Daisy", true},
    {"Bella", true}, {"Luna", true},  {"Buddy", false}, {"Rosie", true}, {"Toby", false}, {"Penny", true},
};
const char* kPetKinds[] = {"cat", "dog", "rabbit", "bear", "duck", "mouse", "fox", "pig", "frog", "owl"};
const char* kKidAdj[] = {"little", "kind", "happy", "small", "curious", "brave", "funny", "shy", "clever"};
const char* kPetAdj[] = {"little", "fluffy", "brown", "small", "white", "friendly", "sleepy", "gray"};

struct Parent {
  const char* name;
  bool female;
};
const Parent kParents[] = {{"Mom", true}, {"Dad", false}, {"Grandma", true}, {"Grandpa", false}};

struct Place {
  const char* name;      // "the park"
  const char* activity;  // what you do there: "played on the swings"
  const char* spot1;     // places to look: "the slide"
  const char* spot2;
};
const Place kPlaces[] = {
    {"the park", "played on the swings", "the slide", "a big tree"},
    {"the beach", "dug in the sand", "a big rock", "the little boat"},
    {"the forest", "walked under the tall trees", "a log", "a bush"},
    {"the garden", "looked at the flowers", "the flowers", "the old fence"},
    {"the farm", "fed the hens", "the hay", "the red barn"},
    {"the lake", "threw stones into the water", "the reeds", "a bench"},
    {"the hill", "rolled down the soft grass", "a rock", "the tall grass"},
    {"the playground", "went down the slide", "the sandbox", "the swings"},
    {"the library", "read picture books", "a table", "the shelves"},
    {"school", "drew pictures with crayons", "the desks", "the coat hooks"},
    {"the river", "watched the fish swim", "the bridge", "some stones"},
    {"the meadow", "picked yellow flowers", "the long grass", "a little hill"},
};

const char* kColors[] = {"red", "blue", "green", "yellow", "orange", "purple", "pink", "little", "shiny", "old"};
const char* kToys[] = {"ball", "kite", "teddy bear", "toy car", "hat", "book", "doll", "drum",
                       "balloon", "boat", "scarf", "whistle", "robot", "train", "bucket", "puzzle"};
const char* kTimes[] = {"sunny morning", "rainy afternoon", "windy day", "cold winter morning",
                        "warm summer evening", "quiet Sunday", "bright spring day", "foggy morning"};
const char* kHobbies[] = {"play outside", "draw pictures", "sing songs", "run in the grass", "look at the stars",
                          "jump in puddles", "read stories", "build with blocks", "dance", "count the clouds"};
const char* kSad[] = {"sad", "very sad", "upset", "unhappy", "worried"};
const char* kHappy[] = {"happy", "very happy", "so happy", "glad", "full of joy"};
const char* kFoods[] = {"apple", "cookie", "sandwich", "banana", "muffin", "orange", "piece of cake", "pear"};
const char* kWildAnimals[] = {"bird", "puppy", "kitten", "duckling", "hedgehog", "squirrel", "baby rabbit", "turtle"};

struct Fear {
  const char* what;  // "the dark"
  int kind;          // which scene to tell
};
const Fear kFears[] = {{"the dark", 0}, {"the big dog next door", 1}, {"thunder", 2}, {"deep water", 3}, {"the tall slide", 4}};

struct Build {
  const char* thing;     // "sandcastle"
  const char* place;     // "the beach"
  const char* parts;     // "sand and shells"
  const char* disaster;  // "a big wave came"
};
const Build kBuilds[] = {
    {"sandcastle", "the beach", "sand and shells", "a big wave came"},
    {"tower", "the living room", "wooden blocks", "the cat jumped on the table"},
    {"snowman", "the garden", "snow and two stones", "a dog ran into it"},
    {"tree house", "the garden", "old boards and nails", "a strong wind blew"},
    {"fort", "the bedroom", "pillows and blankets", "the dog pulled a blanket"},
    {"boat", "the river", "sticks and leaves", "the water pulled it away"},
};

// [SECTION] Templates: "{A}" is the hero's name, "{A.he}/{A.him}/{A.his}" the hero's pronouns,
// "{B…}" the friend, "{P…}" a parent; any other {key} comes from the story's variables.
struct Person {
  std::string name;
  bool female = false;
  bool animal = false;
  std::string desc;   // "a little girl"
  std::string intro;  // "a little girl named Lily"
};

class Story {
 public:
  explicit Story(uint64_t seed) : rng_(seed) {}

  template <class T, size_t N>
  const T& pick(const T (&a)[N]) { return a[rng_.below(N)]; }
  const char* pick(std::initializer_list<const char*> l) { return l.begin()[rng_.below(l.size())]; }
  bool chance(double p) { return rng_.uniform() < p; }

  void set(const std::string& k, const std::string& v) {
    for (auto& kv : vars_)
      if (kv.first == k) { kv.second = v; return; }
    vars_.emplace_back(k, v);
  }
  void person(const std::string& key, const Person& p) {
    set(key, p.name);
    set(key + ".he", p.female ? "she" : "he");
    set(key + ".him", p.female ? "her" : "him");
    set(key + ".his", p.female ? "her" : "his");
    set(key + ".intro", p.intro);
    set(key + ".desc", p.desc);
  }

  // Appends one sentence (or several) after filling {keys}; text is capitalised later.
  void say(const std::string& tmpl) {
    if (!out_.empty() && out_.back() != '\n') out_ += ' ';
    out_ += fill(tmpl);
  }
  void say_one(std::initializer_list<const char*> options) { say(pick(options)); }

  Person make_kid(int want_female) {  // want_female: -1 any, 0 boy, 1 girl
    for (;;) {
      const Name& n = pick(kKids);
      if (want_female >= 0 && n.female != bool(want_female)) continue;
      if (n.name == avoid_) continue;
      Person p{n.name, n.female, false, "", ""};
      std::string adj = pick(kKidAdj);
      bool vowel = std::string("aeiou").find(adj[0]) != std::string::npos;
      p.desc = std::string(vowel ? "an " : "a ") + adj + (n.female ? " girl" : " boy");
      p.intro = p.desc + pick({" named ", " called ", " named "}) + n.name;
      return p;
    }
  }
  Person make_pet(int want_female) {
    for (;;) {
      const Name& n = pick(kPets);
      if (want_female >= 0 && n.female != bool(want_female)) continue;
      if (n.name == avoid_) continue;
      std::string kind = pick(kPetKinds), adj = pick(kPetAdj);
      Person p{n.name, n.female, true, "", ""};
      bool vowel = std::string("aeiou").find(adj[0]) != std::string::npos;
      p.desc = std::string(vowel ? "an " : "a ") + adj + " " + kind;
      p.intro = p.desc + " named " + n.name;
      return p;
    }
  }

  std::string text();

 private:
  std::string fill(const std::string& t) const {
    std::string r;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '{') {
        size_t j = t.find('}', i);
        std::string key = t.substr(i + 1, j - i - 1);
        bool found = false;
        for (auto& kv : vars_)
          if (kv.first == key) { r += kv.second; found = true; break; }
        if (!found) r += "?" + key + "?";  // a template bug shows up in the text (tests catch it)
        i = j;
      } else {
        r += t[i];
      }
    }
    return r;
  }

  void plot_lost();
  void plot_fear();
  void plot_share();
  void plot_animal();
  void plot_build();
  void plot_rain();
  void plot_race();
  void plot_present();
  void plot_seed();
  void plot_noise();
  void plot_quarrel();
  void plot_bake();
  void plot_lost_in_crowd();

  Rng rng_;
  std::vector<std::pair<std::string, std::string>> vars_;
  std::string out_;
  std::string avoid_;
  Person a_, b_;
};

// [SECTION] Plots
void Story::plot_lost() {
  set("obj", pick(kToys));
  set("color", pick(kColors));
  const Place& pl = pick(kPlaces);
  set("place", pl.name); set("act", pl.activity); set("spot1", pl.spot1); set("spot2", pl.spot2);
  say_one({"{A} had a {color} {obj}. {A.he} loved it very much.", "{A} had a {color} {obj} that {A.he} took everywhere.",
           "{A.his} favorite toy was a {color} {obj}."});
  say_one({"One {time}, {A} took the {obj} to {place}.", "One day, {A} went to {place} with {A.his} {obj}."});
  say_one({"{A.he} {act} and played with the {obj} all day.", "{A} {act} for a long time."});
  say_one({"But when it was time to go home, the {obj} was gone!", "When {A.he} looked down, the {obj} was not there!"});
  say("{A} looked everywhere. {A.he} looked under {spot1} and behind {spot2}.");
  say_one({"{A} felt {sad}. {A.he} began to cry.", "{A} sat down and felt {sad}."});
  say_one({"Then {B} came by. \"Why are you sad?\" {B.he} asked.", "Just then, {B} walked over to {A}."});
  say_one({"\"I lost my {obj},\" said {A}.", "{A} told {B} about the {obj}."});
  say_one({"\"Don't worry. I will help you find it,\" said {B}.", "{B} wanted to help {A.him}, so {B.he} looked too."});
  if (chance(0.5)) {
    set("animal", pick(kWildAnimals));
    say("Soon {B} saw a {animal} near {spot1}. The {animal} was playing with the {obj}!");
    say("{B} smiled and gave the {animal} a leaf to play with instead, and took the {obj}.");
  } else {
    say_one({"{B} looked behind {spot1} and found the {obj}!", "After a while, {B} found the {obj} in the grass."});
  }
  say_one({"{A} was {happy}. {A.he} hugged {B} and said, \"Thank you!\"", "{A} was {happy} to have the {obj} back. \"Thank you, {B},\" {A.he} said."});
  say_one({"From that day on, {A} and {B} were best friends.", "{A} learned that friends help each other.",
           "After that, {A} always kept the {obj} close."});
}

void Story::plot_fear() {
  const Fear& f = pick(kFears);
  set("fear", f.what);
  say_one({"{A} was afraid of {fear}.", "There was one thing {A} did not like: {fear}.", "{A} was scared of {fear}."});
  switch (f.kind) {
    case 0:
      say("One night, the light in {A.his} room went out. Everything was black.");
      say("{A} hid under {A.his} blanket and called for {P}.");
      say_one({"{P} came in with a small lamp. \"The dark is just the night saying good night,\" {P.he} said.",
               "{P} sat on the bed and held {A.his} hand. \"Nothing has changed. It is still your room,\" {P.he} said."});
      say("{A} looked around. The room was the same as before: the toys, the books and the window.");
      say_one({"{A} was not scared anymore. {A.he} smiled and went to sleep.", "Soon {A} closed {A.his} eyes and fell asleep."});
      break;
    case 1:
      say("One day, {A} and {B} were walking home, and the big dog ran up to them.");
      say("{A} wanted to run away, but {B} stood still.");
      say("The dog did not bark. It only wagged its tail and licked {A.his} hand.");
      say_one({"{A} laughed. The big dog was friendly!", "{A} was surprised. The dog just wanted to play."});
      say("{B} threw a stick, and the dog ran to get it. Soon {A} was throwing sticks too.");
      break;
    case 2:
      say("One evening, a storm came. Boom! went the thunder.");
      say("{A} ran to {P} and held {P.him} tight.");
      say("{P} said, \"Thunder is loud, but it cannot hurt you. It is only the sound of the storm.\"");
      say("They sat by the window and counted between the flashes together.");
      say_one({"Soon the storm went away, and {A} was not afraid anymore.", "The thunder got quieter and quieter, and {A} fell asleep."});
      break;
    case 3:
      say("One {time}, {A} and {B} went to the lake. {B} jumped into the water and swam.");
      say("\"Come in, {A}!\" called {B}. But {A} stayed on the shore.");
      say("{B} swam back and held out {B.his} hand. \"I will stay with you,\" {B.he} said.");
      say("{A} took {B.his} hand and walked in slowly. The water was cool and nice.");
      say("{A} kicked {A.his} legs and splashed. {A.he} was swimming!");
      break;
    default:
      say("One day at the playground, {B} climbed up the tall slide.");
      say("{B} went down fast and laughed all the way.");
      say("\"You can do it, {A}!\" said {B}. {A} climbed up slowly, step by step.");
      say("At the top, {A} took a deep breath. Then {A.he} let go. Whee!");
      say("{A} landed in the sand and laughed. \"Again!\" {A.he} shouted.");
      break;
  }
  say_one({"{A} felt brave and proud.", "That day, {A} learned that {A.he} was braver than {A.he} thought.",
           "{A} was very proud of {A.him}self."});
}

void Story::plot_share() {
  std::string food = pick(kFoods);
  set("food", food);
  const Place& pl = pick(kPlaces);
  set("place", pl.name);
  say_one({"One {time}, {A} and {B} were at {place}.", "{A} and {B} played together at {place} all morning."});
  say_one({"At lunch time, {A} had a big {food}.", "{A} opened {A.his} bag. Inside was a {food}."});
  say_one({"But {B} had nothing to eat. {B.he} looked hungry and sad.", "{B} had forgotten {B.his} lunch at home. {B.his} tummy rumbled."});
  say_one({"{A} thought about it for a moment.", "{A} looked at the {food}, and then at {B}."});
  say("Then {A} broke the {food} in two and gave half to {B}.");
  say_one({"\"Thank you, {A}!\" said {B}.", "{B} smiled. \"You are so kind, {A},\" {B.he} said."});
  say_one({"The {food} tasted even better because they shared it.", "Sharing made them both {happy}."});
  if (chance(0.5)) say("The next day, {B} brought two cookies and gave one to {A}.");
}

void Story::plot_animal() {
  const Place& pl = pick(kPlaces);
  set("place", pl.name); set("spot1", pl.spot1);
  std::string an = pick(kWildAnimals);
  set("animal", an);
  say_one({"One {time}, {A} was walking in {place} when {A.he} heard a small sound.",
           "One day, {A} and {B} went to {place}. Near {spot1}, {A} heard a tiny cry."});
  int trouble = int(rng_.below(4));
  switch (trouble) {
    case 0:
      say("It was a little {animal}. It was stuck in a bush and could not get out.");
      say("{A} moved the branches very gently, one by one, until the {animal} was free.");
      break;
    case 1:
      say("It was a little {animal}. It was lost and looking for its mother.");
      say("{A} carried the {animal} and looked around {place}. Soon {A.he} saw the mother near {spot1}.");
      say("{A} put the little {animal} down, and it ran to its mother.");
      break;
    case 2:
      say("It was a little {animal}. It was wet and cold and shaking.");
      say("{A} wrapped it in {A.his} scarf and held it close until it was warm.");
      break;
    default:
      say("It was a little {animal}. It looked very hungry.");
      say("{A} had some bread in {A.his} pocket. {A.he} gave a small piece to the {animal}, and it ate it all.");
      break;
  }
  say_one({"The {animal} looked at {A} as if to say thank you.", "The {animal} made a happy sound."});
  say_one({"{A} felt {happy} inside.", "{A} smiled all the way home.", "{A} told {P} about the {animal} at dinner."});
  if (chance(0.4)) say("Every day after that, {A} went back to {place} to say hello to the {animal}.");
}

void Story::plot_build() {
  const Build& b = pick(kBuilds);
  set("thing", b.thing); set("bplace", b.place); set("parts", b.parts); set("disaster", b.disaster);
  say_one({"{A} and {B} wanted to build a {thing}.", "One {time}, {A} had an idea. \"Let's build a {thing}!\" {A.he} said to {B}."});
  say("They went to {bplace} and got {parts}.");
  say_one({"They worked hard all morning.", "{A} did the bottom and {B} did the top."});
  say("The {thing} was big and beautiful.");
  say("But then {disaster}, and the {thing} fell down!");
  say_one({"{B} was so {sad} that {B.he} wanted to stop.", "{B} sat down. \"All our work is gone,\" {B.he} said."});
  say_one({"\"Let's try again,\" said {A}. \"This time we can make it stronger.\"",
           "{A} put {A.his} hand on {B.his} arm. \"We can build it again, together,\" {A.he} said."});
  say("So they built it again, and this time it stayed up.");
  say_one({"{A} and {B} were proud of their {thing}.", "They looked at their {thing} and smiled. It was even better than before."});
}

void Story::plot_rain() {
  const Place& pl = pick(kPlaces);
  set("place", pl.name); set("act", pl.activity);
  set("cover", pick({"a big tree", "a little shed", "a bridge", "a big umbrella"}));
  set("warm", pick({"jacket", "scarf", "hat", "coat"}));
  say_one({"One day, {A} and {B} went to {place}.", "{A} and {B} went to {place} after lunch."});
  say("They {act} and had a lot of fun.");
  say("Suddenly, dark clouds came, and it started to rain.");
  say_one({"They ran under {cover} to stay dry.", "\"Quick!\" said {B}. They ran under {cover}."});
  say_one({"{A} was wet and cold. {B} gave {A.him} {B.his} {warm}.", "{A} was shaking, so {B} gave {A.his} friend {B.his} {warm}."});
  say_one({"\"Thank you,\" said {A}. Now {A.he} felt warm.", "{A} smiled. The {warm} was warm and soft."});
  say("When the rain stopped, they saw a big rainbow in the sky.");
  say_one({"\"Look!\" said {A}. \"It has every color!\"", "{B} pointed at it and laughed."});
  say_one({"They walked home together, jumping in every puddle.", "It was the best day of the week."});
}

void Story::plot_race() {
  set("goal", pick({"the big tree", "the gate", "the river", "the old bench", "the top of the hill", "the red barn"}));
  say_one({"{A} and {B} liked to race.", "{A} and {B} loved to run."});
  say("One {time}, they raced to {goal}. \"Ready, set, go!\" shouted {B}.");
  say_one({"{A} ran very fast. {A.he} was winning!", "{A} was in front, and {B} was behind."});
  say("But then {A} fell and hurt {A.his} knee.");
  say_one({"{A} began to cry.", "\"Ouch!\" cried {A}."});
  say("{B} stopped running. {B.he} went back to help {A}.");
  say("{B} helped {A.him} up, and they walked to {goal} together.");
  say_one({"\"You are a good friend,\" said {A}.", "{A} smiled at {B}. It did not matter who won."});
  if (chance(0.5)) say("At home, {P} put a bandage on {A.his} knee and gave them both some milk.");
}

void Story::plot_present() {
  set("gift", pick({"card", "necklace", "picture", "paper crown", "little box", "bracelet"}));
  set("mat", pick({"paper and glue", "beads and string", "crayons and paper", "shells and string", "ribbons and glitter"}));
  say_one({"It was {B}'s birthday.", "Tomorrow was {B}'s birthday."});
  say("{A} wanted to give {B.him} a present, but {A} had no money.");
  say_one({"So {A} made a {gift} with {mat}.", "{A} had an idea. {A.he} would make a {gift} with {mat}."});
  say_one({"{A.he} worked on it all day.", "It took a long time, but {A} did not give up."});
  say_one({"When {B} opened the present, {B.he} smiled a big smile.", "{B} opened the box. Inside was the {gift}."});
  say_one({"\"I love it!\" said {B}. \"It is the best present ever.\"", "{B} hugged {A}. \"You made this for me?\" {B.he} asked."});
  say_one({"{A} felt warm and happy inside.", "{A} learned that the best presents come from the heart."});
}

void Story::plot_seed() {
  const Place& pl = pick(kPlaces);
  set("place", pl.name);
  set("flower", pick({"a tall sunflower", "a red tomato plant", "a little apple tree", "a pink rose", "a big pumpkin"}));
  say_one({"{A} found a little seed at {place}.", "One day, {P} gave {A} a little seed."});
  say("{A.he} put it in a pot with soil and gave it some water.");
  say("Every day, {A} watered the seed and waited.");
  say_one({"But nothing happened. \"Why is it not growing?\" {A} asked {P}.", "Days went by, and {A} saw nothing but soil."});
  say_one({"{P} said, \"Good things take time.\"", "{P} smiled. \"Be patient, and keep giving it water,\" {P.he} said."});
  say("One morning, {A} saw a tiny green leaf!");
  say("The leaf grew and grew, and soon the seed was {flower}.");
  say_one({"{A} was very proud.", "{A} showed it to {B}, and {B} said it was beautiful."});
}

void Story::plot_noise() {
  set("room", pick({"kitchen", "garden", "attic", "shed", "hallway"}));
  set("under", pick({"the sofa", "an old box", "the table", "a basket"}));
  set("animal", pick({"little mouse", "tiny kitten", "baby bird", "small hedgehog"}));
  say("One night, {A} heard a strange noise in the {room}. Scratch, scratch!");
  say("{A} was a little scared, but {A.he} was also curious.");
  say_one({"{A.he} took a flashlight and went to look.", "{A.he} got out of bed and walked to the {room} very quietly."});
  say("Behind {under}, {A} found a {animal}!");
  say_one({"It was hungry, so {A} gave it some crumbs.", "It was cold, so {A} put it in a box with a soft sock."});
  say("In the morning, {A} showed the {animal} to {P}.");
  say_one({"{P} laughed. \"So that was the noise!\" {P.he} said.", "\"What a nice surprise,\" said {P}."});
  say_one({"They let it go in the garden, and it ran away happily.", "The next day, {A} showed it to {B}, and {B} wanted to see it again and again."});
}

void Story::plot_quarrel() {
  set("toy", pick(kToys));
  say_one({"{A} and {B} were playing with a {toy}.", "{A} and {B} found an old {toy} in the toy box."});
  say("{A} wanted it. {B} wanted it too.");
  say("They pulled and pulled, until the {toy} broke!");
  say_one({"Now nobody could play with it. Both of them were {sad}.", "{A} was angry at {B}, and {B} was angry at {A}."});
  say("{P} came and said, \"If you share, you can both play.\"");
  say("{A} said sorry to {B}, and {B} said sorry too.");
  say("Together they fixed the {toy} with some tape.");
  say_one({"Then they took turns, and they had fun all afternoon.", "After that, they always shared their toys."});
}

void Story::plot_bake() {
  set("treat", pick({"cake", "pie", "batch of cookies", "loaf of bread"}));
  say_one({"{A} wanted to bake a {treat} for {B}.", "{A} and {P} decided to bake a {treat}."});
  say("{P} helped {A.him}. They mixed flour, eggs and sugar in a big bowl.");
  say("{A} stirred and stirred until {A.his} arm was tired.");
  if (chance(0.5)) {
    say("But {A} put in salt instead of sugar by mistake!");
    say("The {treat} tasted funny. {A} felt {sad}.");
    say("\"It's okay,\" said {P}. \"Everyone makes mistakes. We can make another one.\"");
    say("The second {treat} was sweet and soft.");
  } else {
    say("They put it in the oven and waited. The kitchen smelled wonderful.");
  }
  say_one({"{B} came over and ate two pieces. \"Yum!\" {B.he} said.", "{A} gave the first piece to {B}, and {B} loved it."});
  say_one({"{A} was {happy}.", "{A} wanted to bake again the next day."});
}

void Story::plot_lost_in_crowd() {
  set("where", pick({"the market", "the zoo", "the fair", "the big store", "the station"}));
  set("sight", pick({"a man with balloons", "the monkeys", "a juggler", "the big clock", "a toy shop window"}));
  say("{A} went to {where} with {P}. There were so many people!");
  say("{A} stopped to look at {sight}.");
  say("When {A.he} turned around, {P} was gone!");
  say_one({"{A} felt scared. {A.his} heart was beating fast.", "{A} looked left and right, but {A.he} could not see {P}."});
  say("Then {A.he} remembered what {P} had said: \"If you get lost, stay where you are.\"");
  say("So {A} stood still and waited.");
  say_one({"Soon {P} came running. {P.he} gave {A.him} a big hug.", "A few minutes later, {A} saw {P} in the crowd."});
  say_one({"\"You did the right thing,\" said {P}.", "{P} said {A.he} was very smart to wait."});
  if (chance(0.5)) say("After that, {A} held {P.his} hand all the way home.");
}

std::string Story::text() {
  // Characters: a hero and a friend, mostly of different genders; sometimes animals.
  bool pets = chance(0.25);
  int hero_female = int(rng_.below(2));
  a_ = pets ? make_pet(-1) : make_kid(hero_female);
  avoid_ = a_.name;
  int friend_female = chance(0.75) ? (a_.female ? 0 : 1) : -1;
  b_ = (pets && chance(0.5)) ? make_pet(friend_female) : make_kid(friend_female);
  person("A", a_);
  person("B", b_);
  const Parent& par = pick(kParents);
  person("P", Person{par.name, par.female, false, par.name, par.name});
  set("time", pick(kTimes));
  set("hobby", pick(kHobbies));
  set("sad", pick(kSad));
  set("happy", pick(kHappy));

  // Openings
  switch (rng_.below(4)) {
    case 0: say("Once upon a time, there was {A.intro}. {A.he} loved to {hobby}."); break;
    case 1: say("There once was {A.intro}. {A.his} best friend was {B}."); break;
    case 2: say("{A} was {A.desc}. {A.he} lived in a small house with {P}."); break;
    default: say("Once upon a time, there was {A.intro}. Every day, {A.he} liked to {hobby}."); break;
  }
  switch (rng_.below(13)) {
    case 0: plot_lost(); break;
    case 1: plot_fear(); break;
    case 2: plot_share(); break;
    case 3: plot_animal(); break;
    case 4: plot_build(); break;
    case 5: plot_rain(); break;
    case 6: plot_race(); break;
    case 7: plot_present(); break;
    case 8: plot_seed(); break;
    case 9: plot_noise(); break;
    case 10: plot_quarrel(); break;
    case 11: plot_bake(); break;
    default: plot_lost_in_crowd(); break;
  }
  if (chance(0.3)) say_one({"The end.", "And they lived happily ever after.", "It was a good day."});

  // Capitalise the first letter of every sentence and of every opening quote.
  std::string& s = out_;
  bool cap = true;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (cap && std::isalpha(static_cast<unsigned char>(c))) {
      s[i] = char(std::toupper(static_cast<unsigned char>(c)));
      cap = false;
    } else if (c == '.' || c == '!' || c == '?') {
      cap = true;
    } else if (c == '"') {
      cap = (i == 0 || s[i - 1] == ' ');  // opening quotes start a sentence; after closing ones, "said"
    } else if (c == ',') {
      cap = false;
    }
  }
  return out_;
}

const char* kTiny =
    "Lily had a red ball. She loved it very much. One day, Lily lost the ball in the park. "
    "Tom found it under a tree. Lily was happy. She said, \"Thank you, Tom!\"\n\n"
    "Ben had a little dog named Rex. Rex liked to run. One day, Rex ran away. "
    "Ben looked everywhere. Then he saw Rex by the river. Ben gave him a big hug.\n\n"
    "Mia and Sam baked a cake. Mia put in too much salt. The cake tasted funny. "
    "They made another one, and it was sweet. Sam ate two pieces.\n\n";

bool valid_utf8(const std::string& s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + size_t(len) > n) return false;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + size_t(k)]) >> 6) != 0x2) return false;
    i += size_t(len);
  }
  return true;
}

}  // namespace

// [SECTION] Public entry points
std::string generate_story(uint64_t seed) { return Story(seed).text(); }

std::string generate_stories(uint64_t seed, size_t target_bytes) {
  std::string out;
  out.reserve(target_bytes + 2048);
  for (uint64_t i = 0; out.size() < target_bytes; ++i) {
    out += generate_story(seed * 1000003ull + i);
    out += kStorySeparator;
  }
  return out;
}

std::vector<StoryName> story_names() {
  std::vector<StoryName> v;
  for (auto& n : kKids) v.push_back({n.name, n.female});
  for (auto& n : kPets) v.push_back({n.name, n.female});
  for (auto& n : kParents) v.push_back({n.name, n.female});
  return v;
}

std::string tiny_corpus() {
  std::string s;
  for (int i = 0; i < 4; ++i) s += kTiny;  // repeated so a batch window always fits
  // stories separated like the generated corpus
  for (size_t at = s.find("\n\n"); at != std::string::npos; at = s.find("\n\n", at)) s.replace(at, 2, kStorySeparator);
  return s;
}

std::string load_corpus(const std::string& name_or_path) {
  if (name_or_path == "stories") return generate_stories(kStoriesSeed, kStoriesBytes);
  if (name_or_path == "tiny") return tiny_corpus();
  std::string text = read_file(name_or_path);
  if (text.empty()) fail_file(name_or_path, "the corpus is empty");
  if (!valid_utf8(text)) fail_file(name_or_path, "the corpus is not valid UTF-8 text");
  return text;
}

}  // namespace gb
