package dev.junction.state;

import dev.junction.core.Clock;

class MemoryStateTest extends StateContract {

    @Override
    State newState(Clock clock) {
        return State.inMemory(clock);
    }
}
