import { connectToTestServer } from '../helpers/temporal';

describe('test harness', () => {
  it('reaches the shared Temporal dev server with elfstream search attributes registered', async () => {
    const t = await connectToTestServer();
    try {
      const res = await t.connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(res.customAttributes ?? {})).toEqual(
        expect.arrayContaining(['ElfSourceId', 'ElfEventType', 'ElfLogDate']),
      );
    } finally {
      await t.close();
    }
  });
});
