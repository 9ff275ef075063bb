#!/usr/bin/env python3
# Writes the three style corpora of the `teach` workspace (issue 18): sea stories, space stories and
# stories that rhyme, in the simple words of the shipped stories model (named children, pets, Mom and
# Dad, feelings), one story per line, stories separated by blank lines. Templates written for Glassbox;
# deterministic (seeded), so rerunning gives the same files: python3 assets/teach/make_corpora.py
import os
import random

GIRLS = ["Lily", "Mia", "Anna", "Emma", "Sara", "Zoe", "Lucy", "Nora", "Ella", "Ruby", "Maya", "Ivy"]
BOYS = ["Tom", "Ben", "Max", "Sam", "Leo", "Jack", "Finn", "Noah", "Theo", "Kai", "Eli", "Tim"]
PETS = ["dog", "cat", "duck", "rabbit", "frog", "mouse"]
PET_NAMES = ["Milo", "Rex", "Pip", "Coco", "Daisy", "Bella", "Luna", "Buddy", "Toby", "Penny"]
ADJ = ["little", "kind", "happy", "brave", "curious", "small", "clever", "funny"]


def kid(rng):
    if rng.random() < 0.5:
        return rng.choice(GIRLS), "she", "her", "her"
    return rng.choice(BOYS), "he", "him", "his"


def cap(s):
    return s[0].upper() + s[1:]


# [SECTION] sea stories: boats, waves, fish, shells, a lighthouse, a storm
def sea_story(rng):
    a, he, him, his = kid(rng)
    b, bhe, _, _ = kid(rng)
    while b == a:
        b, bhe, _, _ = kid(rng)
    boat = rng.choice(["a little blue boat", "a small red boat", "an old wooden boat", "a white sail boat"])
    find = rng.choice(["a shiny shell", "a big crab", "a starfish", "a bottle with a note", "a smooth pink stone"])
    fish = rng.choice(["a big silver fish", "a family of dolphins", "a happy whale", "a little orange fish", "a sea turtle"])
    s = [rng.choice([f"{a} lived in a small house by the sea.",
                     f"Once upon a time, a {rng.choice(ADJ)} {'girl' if he == 'she' else 'boy'} named {a} lived near the sea.",
                     f"{a} loved the sea more than anything.",
                     f"Every morning, {a} ran down to the beach to look at the waves."]),
         rng.choice([f"{cap(his)} dad had {boat}.", f"{a} and {his} grandpa had {boat}.",
                     f"One sunny morning, {a} and {b} took {boat} out on the water."]),
         rng.choice([f"The waves went up and down, and the boat rocked gently.",
                     f"The wind was soft and the water was blue and calm.",
                     f"The sea was wide and the sky was bright."]),
         rng.choice([f"Soon {a} saw {fish} swimming next to the boat.",
                     f"{cap(he)} looked into the water and saw {fish}.",
                     f"Then {fish} jumped out of the water and splashed them!"]),
         rng.choice([f"{a} laughed and waved at the sea.", f"{cap(he)} was so happy that {he} sang a song about the sea.",
                     f"{b} said, \"The sea is full of friends!\""])]
    if rng.random() < 0.5:
        s += [rng.choice([f"Then dark clouds came and the wind blew hard.", f"Suddenly a storm came over the sea.",
                          f"In the evening, big grey waves began to roll."]),
              rng.choice([f"{a} was scared, but {b} held the rope tight.", f"They saw the light from the lighthouse and rowed to the shore.",
                          f"The old lighthouse shone its light, and they found their way home."]),
              rng.choice([f"When they were safe on the sand, {a} hugged {b}.", f"Mom was waiting on the beach with warm blankets.",
                          f"Back on the beach, they watched the waves and felt brave."])]
    else:
        s += [rng.choice([f"On the beach, {a} found {find} in the wet sand.", f"When the tide went out, {a} found {find} by the rocks."]),
              rng.choice([f"{cap(he)} showed it to {b}, and {bhe} smiled.", f"{cap(he)} put it in {his} bucket to keep."]),
              rng.choice([f"That night, {a} fell asleep to the sound of the waves.", f"{a} knew the sea would always be {his} friend.",
                          f"From then on, {a} went to the sea every day."])]
    return " ".join(s)


# [SECTION] space stories: a rocket, stars, the moon, planets, a robot, an alien friend
def space_story(rng):
    a, he, him, his = kid(rng)
    ship = rng.choice(["a shiny silver rocket", "a little red rocket", "a big white space ship", "a rocket made of boxes"])
    place = rng.choice(["the moon", "a blue planet", "a planet with three moons", "a tiny star", "a red planet"])
    friend = rng.choice(["a little green alien", "a friendly robot", "a space cat", "a star that could talk", "a shy moon rabbit"])
    s = [rng.choice([f"{a} wanted to fly to the stars.", f"Every night, {a} looked up at the sky and counted the stars.",
                     f"Once upon a time, a {rng.choice(ADJ)} {'girl' if he == 'she' else 'boy'} named {a} dreamed of space."]),
         rng.choice([f"One night, {a} climbed into {ship}.", f"One day, {a} and {his} {rng.choice(PETS)} built {ship}.",
                     f"Dad helped {him} build {ship} in the garden."]),
         rng.choice(["Three, two, one, go! The rocket flew up into the dark sky.",
                     "The engines roared and the rocket shot up past the clouds.",
                     "Whoosh! The rocket went up and up, higher than the birds."]),
         rng.choice([f"Soon {a} could see the Earth, small and blue, far below.",
                     f"Outside the window, the stars were bright and the sky was black.",
                     f"{cap(he)} floated in the rocket, because in space there is no up and down."]),
         rng.choice([f"The rocket landed on {place}.", f"After a long time, {a} came to {place}.",
                     f"{a} saw {place} and flew down to visit it."]),
         rng.choice([f"There {he} met {friend}.", f"On {place}, {a} met {friend}.", f"Behind a rock was {friend}."]),
         rng.choice([f"They jumped high, because on {place} everything was light.",
                     f"They looked at the stars together and named them.",
                     f"{a} shared {his} snack, and {friend} showed {him} a crater full of shiny dust."]),
         rng.choice([f"When it was time to go, {a} waved goodbye and flew home.",
                     f"Then the rocket took {a} back home, just in time for bed.",
                     f"{a} promised to come back to space one day."]),
         rng.choice([f"That night, {a} smiled at the stars from {his} bed.",
                     f"{a} knew that space was big, but {he} was brave.",
                     f"Mom asked where {he} had been, and {a} said, \"To the stars!\""])]
    return " ".join(s)


# [SECTION] stories that rhyme: couplets with end rhymes
RHYMES = [("cat", "hat"), ("day", "play"), ("sun", "fun"), ("tree", "sea"), ("bed", "red"), ("ball", "tall"),
          ("night", "light"), ("dog", "log"), ("cake", "lake"), ("moon", "soon"), ("frog", "fog"), ("bee", "me")]


def rhyme_story(rng):
    a, he, him, his = kid(rng)
    p = rng.choice(PET_NAMES)
    lines = [rng.choice([f"{a} had a cat, the cat had a hat.", f"{a} went out to play on a bright sunny day.",
                         f"{a} and {p} ran out in the sun, they jumped and they laughed, it was so much fun."]),
             rng.choice([f"{cap(he)} looked at the tree, then ran to the sea.", f"They played with a ball by a wall that was tall.",
                         f"They saw a big frog that sat on a log."]),
             rng.choice([f"The frog gave a croak, and {a} told a joke.", f"A bee said hello, and {p} said, \"Oh no!\"",
                         f"The wind blew a kite, up high, out of sight."]),
             rng.choice([f"They ate a big cake by the side of the lake.", f"They sang a sweet song, and they sang it all day long.",
                         f"They found a red box that was full of blue socks."]),
             rng.choice([f"When it was night, Mom turned on the light.", f"Then came the moon, and {a} said, \"Bed soon!\"",
                         f"The day was done, and so was the fun."]),
             rng.choice([f"{a} went to bed, with a teddy called Ted.", f"{a} said good night to the stars shining bright.",
                         f"{a} closed {his} eyes, and dreamed of blue skies."])]
    if rng.random() < 0.5:
        x, y = rng.choice(RHYMES)
        lines.insert(2, f"{a} saw a {x}, and then {he} saw a {y}.")
    return " ".join(lines)


def write(path, make, n, seed):
    rng = random.Random(seed)
    stories = []
    while len(stories) < n:
        s = make(rng)
        if s not in stories:
            stories.append(s)
    with open(path, "w") as f:
        f.write("\n\n".join(stories) + "\n")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, "sea-stories.txt"), sea_story, 200, 18)
    write(os.path.join(here, "space-stories.txt"), space_story, 200, 19)
    write(os.path.join(here, "rhyme-stories.txt"), rhyme_story, 200, 20)
